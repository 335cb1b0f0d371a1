const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock time of `instant` in the 1C base's time zone, as 1C stores
 * dates: "YYYY-MM-DDTHH:mm:ss" without a zone. Sending toISOString() instead
 * would shift a document dated the 15th in Moscow to the 14th (reference onec §1.4).
 */
export function toNaiveDateTime(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const year = String(parts.year).padStart(4, "0");
  return `${year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
