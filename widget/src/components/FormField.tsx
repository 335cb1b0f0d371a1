import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";

import type { MessageKey } from "../i18n/create-translator.js";
import { useTranslator } from "../i18n/i18n-context.js";
import { useSettingsStore } from "../state/store-context.js";
import { useSignalValue } from "../state/use-signal-value.js";

/** Attributes that tie an input to its label, hint and error. */
export interface FieldInputProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string;
}

export interface FormFieldProps {
  label: string;
  /** Settings path such as "onec.odataUrl"; the server names errors by it. */
  path: string;
  hint?: string | undefined;
  children: (input: FieldInputProps) => ComponentChildren;
}

/** A labelled settings field with its hint and the server's error below. */
export function FormField({ label, path, hint, children }: FormFieldProps) {
  const { t, lang } = useTranslator();
  const id = useId();
  const problem = useSignalValue(useSettingsStore().fieldErrors)[path];
  const invalid = problem !== undefined;

  // The server's validation text is English and the most specific: an
  // English page shows it, another language the field's own message when
  // the message files have one.
  const refusal = (text: string) => {
    const key = `field_errors.${path}` as MessageKey;
    const known = t(key);
    return lang === "en" || known === key ? text : known;
  };

  return (
    <div
      class={invalid ? "amo1c-field amo1c-field--invalid" : "amo1c-field"}
      data-field={path}
    >
      <label class="amo1c-field__label" for={id}>
        {label}
      </label>
      {children({
        id,
        "aria-invalid": invalid,
        "aria-describedby": `${id}-note`,
      })}
      <div id={`${id}-note`}>
        {hint !== undefined && <p class="amo1c-field__hint">{hint}</p>}
        {problem !== undefined && (
          <p class="amo1c-field__error">
            {"text" in problem ? refusal(problem.text) : t(problem.key)}
          </p>
        )}
      </div>
    </div>
  );
}
