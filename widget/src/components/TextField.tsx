import { FormField } from "./FormField.js";

export interface TextFieldProps {
  label: string;
  path: string;
  value: string;
  onValue(value: string): void;
  type?: "text" | "password" | "url" | "date" | undefined;
  hint?: string | undefined;
  placeholder?: string | undefined;
}

export function TextField(props: TextFieldProps) {
  const { label, path, value, onValue, hint, placeholder } = props;
  return (
    <FormField label={label} path={path} hint={hint}>
      {(input) => (
        <input
          {...input}
          class="amo1c-input"
          type={props.type ?? "text"}
          value={value}
          placeholder={placeholder}
          autocomplete={props.type === "password" ? "new-password" : "off"}
          onInput={(event) => onValue(event.currentTarget.value)}
        />
      )}
    </FormField>
  );
}
