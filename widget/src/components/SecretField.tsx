import { useTranslator } from "../i18n/i18n-context.js";
import { TextField } from "./TextField.js";

export interface SecretFieldProps {
  label: string;
  path: string;
  /** What the admin typed now; empty keeps the stored secret. */
  value: string;
  /** The stored secret: its masked tail, true if stored unmasked, or none. */
  stored: string | boolean | null;
  onValue(value: string): void;
  hint?: string | undefined;
}

/** A write-only secret: the stored value is never sent back to the page. */
export function SecretField({ stored, ...field }: SecretFieldProps) {
  const { t } = useTranslator();
  return <TextField {...field} type="password" placeholder={placeholder()} />;

  function placeholder(): string {
    if (typeof stored === "string") {
      return t("setup.secret_stored", { masked: stored });
    }
    return stored === true
      ? t("setup.secret_stored_plain")
      : t("setup.secret_not_stored");
  }
}
