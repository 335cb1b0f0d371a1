export interface CheckboxFieldProps {
  label: string;
  checked: boolean;
  onChecked(checked: boolean): void;
}

export function CheckboxField({
  label,
  checked,
  onChecked,
}: CheckboxFieldProps) {
  return (
    <label class="amo1c-checkbox">
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChecked(event.currentTarget.checked)}
      />
      <span>{label}</span>
    </label>
  );
}
