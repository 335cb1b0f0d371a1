import type { OnecReference } from "../api/create-api-client.js";
import { useTranslator } from "../i18n/i18n-context.js";
import { FormField } from "./FormField.js";

export interface ReferenceSelectProps {
  label: string;
  path: string;
  /** The chosen 1C reference (GUID), or "" for none. */
  value: string;
  /** Items read from 1C; null until they are loaded. */
  options: OnecReference[] | null;
  onValue(ref: string): void;
}

/** Picks a 1C catalogue item; keeps a stored choice the list does not hold. */
export function ReferenceSelect(props: ReferenceSelectProps) {
  const { label, path, value, options, onValue } = props;
  const { t } = useTranslator();
  const items = options ?? [];
  const known = value === "" || items.some((item) => item.ref === value);

  return (
    <FormField label={label} path={path}>
      {(input) => (
        <select
          {...input}
          class="amo1c-input"
          value={value}
          onChange={(event) => onValue(event.currentTarget.value)}
        >
          <option value="">{t("setup.not_chosen")}</option>
          {!known && <option value={value}>{value}</option>}
          {items.map((item) => (
            <option key={item.ref} value={item.ref}>
              {item.name}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
