const NAIVE_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * The date part of a 1C date-time. 1C dates are naive wall-clock times of its
 * server (reference onec §Dates), so the value is shown as written.
 */
export function formatNaiveDate(value: string, locale: string): string {
  const match = NAIVE_DATE.exec(value);
  if (match === null) return value;

  const [year, month, day] = match.slice(1).map(Number);
  const utc = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeZone: "UTC",
  }).format(utc);
}
