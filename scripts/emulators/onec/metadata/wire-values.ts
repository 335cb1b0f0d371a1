import type { EdmType, EntitySetMeta, PropertyMeta } from "./types.js";

/** 1C's "empty" reference and date (reference onec §1.4). */
export const EMPTY_REF = "00000000-0000-0000-0000-000000000000";
export const EMPTY_DATE = "0001-01-01T00:00:00";
export const UNDEFINED_TYPE = "StandardODATA.Undefined";

export const GUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DEFAULTS: Record<EdmType, unknown> = {
  "Edm.String": "",
  "Edm.Guid": EMPTY_REF,
  "Edm.DateTime": EMPTY_DATE,
  "Edm.Boolean": false,
  "Edm.Double": 0,
  "Edm.Int64": "0",
};

export function defaultValue(meta: PropertyMeta): unknown {
  if (meta.name.endsWith("_Type") && meta.type === "Edm.String") {
    return UNDEFINED_TYPE;
  }
  return DEFAULTS[meta.type];
}

/** A new object with every header property at its empty value. */
export function emptyEntity(meta: EntitySetMeta): Record<string, unknown> {
  const entity: Record<string, unknown> = {};
  for (const property of meta.properties) {
    entity[property.name] = defaultValue(property);
  }
  for (const section of meta.tabularSections) entity[section.name] = [];
  return entity;
}

/** Whether a value counts as unfilled for 1C's fill checks. */
export function isEmptyValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === "" ||
    value === EMPTY_REF ||
    value === EMPTY_DATE ||
    value === UNDEFINED_TYPE
  );
}

/** Wall-clock "YYYY-MM-DDTHH:mm:ss" without a zone, as 1C stores dates. */
export function formatWallClock(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}
