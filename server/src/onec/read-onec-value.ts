/** 1C writes "no date" as the first day of year 1 (reference onec §1.4). */
export const EMPTY_ONEC_DATE = "0001-01-01T00:00:00";
/** 1C writes "no reference" as the all-zero GUID (reference onec §1.4). */
export const EMPTY_ONEC_REF = "00000000-0000-0000-0000-000000000000";

/** A reference field as read from 1C; the empty reference reads as null. */
export function readOnecRef(value: unknown): string | null {
  if (typeof value !== "string" || value === "" || value === EMPTY_ONEC_REF) {
    return null;
  }
  return value;
}

/** A date field as read from 1C; the empty date reads as null. */
export function readOnecDate(value: unknown): string | null {
  if (typeof value !== "string" || value === "" || value === EMPTY_ONEC_DATE) {
    return null;
  }
  return value;
}

export function readOnecString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Numbers may arrive as strings (Int64 such as LineNumber, reference onec §1.4). */
export function readOnecNumber(value: unknown): number {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : 0;
}

/** Whether a row read by key is visible to amo1c (not marked for deletion). */
export function isLive<T extends Record<string, unknown>>(
  row: T | null,
): row is T {
  return row !== null && row.DeletionMark !== true;
}
