export interface FormatInstantOptions {
  locale: string;
  /** Show the time of day too. */
  withTime: boolean;
  /** IANA zone; the browser's own zone when absent. */
  timeZone?: string | undefined;
}

/** An ISO instant in the reader's zone; unparsable values are shown as is. */
export function formatInstant(
  iso: string,
  options: FormatInstantOptions,
): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;

  const format: Intl.DateTimeFormatOptions = options.withTime
    ? { dateStyle: "medium", timeStyle: "short" }
    : { dateStyle: "medium" };
  if (options.timeZone !== undefined) format.timeZone = options.timeZone;
  return new Intl.DateTimeFormat(options.locale, format).format(date);
}
