export interface TextValueProps {
  value: string;
  class?: string | undefined;
}

/**
 * A name or code from amoCRM or 1C, rendered as text (never as markup) on
 * one line; a long value is cut with an ellipsis and shown whole on hover.
 */
export function TextValue({ value, class: extra }: TextValueProps) {
  const className = extra === undefined ? "amo1c-text" : `amo1c-text ${extra}`;
  return (
    <span class={className} title={value}>
      {value}
    </span>
  );
}
