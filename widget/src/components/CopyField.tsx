import { useRef, useState } from "preact/hooks";

import { useTranslator } from "../i18n/i18n-context.js";

export interface CopyFieldProps {
  label: string;
  value: string;
  hint?: string | undefined;
}

/** A read-only address the admin copies into amoCRM. */
export function CopyField({ label, value, hint }: CopyFieldProps) {
  const { t } = useTranslator();
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // The clipboard API needs a secure context; selecting the text still
      // lets the admin press Ctrl+C.
      input.current?.select();
      document.execCommand("copy");
    }
    setCopied(true);
  }

  return (
    <div class="amo1c-field">
      <span class="amo1c-field__label">{label}</span>
      <div class="amo1c-copy">
        <input
          ref={input}
          class="amo1c-input"
          readOnly
          value={value}
          aria-label={label}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" class="amo1c-button" onClick={() => void copy()}>
          {copied ? t("common.copied") : t("common.copy")}
        </button>
      </div>
      {hint !== undefined && <p class="amo1c-field__hint">{hint}</p>}
    </div>
  );
}
