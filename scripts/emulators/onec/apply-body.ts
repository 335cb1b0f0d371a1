import { businessError, invalidPropertyValue } from "./errors.js";
import type {
  EntitySetMeta,
  PropertyMeta,
  TabularSectionMeta,
} from "./metadata/types.js";
import { GUID_PATTERN, defaultValue } from "./metadata/wire-values.js";
import type { Entity } from "./types.js";

const DATETIME_PATTERN =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Annotations such as `Товары@odata.type` carry no data. */
const isAnnotation = (key: string): boolean =>
  key.includes("@") || key.startsWith("odata.");

/**
 * Copies the writable properties of a request body onto an entity. Names
 * that are not in the metadata are dropped without an error, as 1C does
 * (reference onec §1.6); a tabular section is replaced whole (§1.7).
 */
export function applyBody(
  entity: Entity,
  body: Entity,
  meta: EntitySetMeta,
): void {
  const properties = new Map(meta.properties.map((p) => [p.name, p]));
  const sections = new Map(meta.tabularSections.map((s) => [s.name, s]));

  for (const [key, value] of Object.entries(body)) {
    if (isAnnotation(key)) continue;
    const property = properties.get(key);
    if (property && !property.readOnly && key !== "Ref_Key") {
      entity[key] = convertValue(property, value);
      continue;
    }
    const section = sections.get(key);
    if (section) entity[key] = convertRows(section, value, entity.Ref_Key);
  }
}

/** Validates one JSON value against its Edm type and returns the wire form. */
export function convertValue(meta: PropertyMeta, value: unknown): unknown {
  const converted = convertByType(meta, value);
  if (converted === undefined) throw invalidPropertyValue(meta.name);
  if (
    meta.enumValues &&
    converted !== "" &&
    !meta.enumValues.includes(String(converted))
  ) {
    throw invalidPropertyValue(meta.name);
  }
  return converted;
}

function convertByType(meta: PropertyMeta, value: unknown): unknown {
  switch (meta.type) {
    case "Edm.String":
      return typeof value === "string" ? value : undefined;
    case "Edm.Boolean":
      return typeof value === "boolean" ? value : undefined;
    case "Edm.Double":
      return typeof value === "number" && Number.isFinite(value)
        ? value
        : undefined;
    case "Edm.Int64":
      return toInt64(value);
    case "Edm.Guid":
      return typeof value === "string" && GUID_PATTERN.test(value)
        ? value.toLowerCase()
        : undefined;
    case "Edm.DateTime":
      return toWallClock(value);
  }
}

/** Int64 values travel as strings ("1") in 1C's JSON (reference onec §1.4). */
function toInt64(value: unknown): string | undefined {
  const text = typeof value === "number" ? String(value) : value;
  return typeof text === "string" && /^-?\d+$/.test(text) ? text : undefined;
}

// A date sent with a zone keeps its wall-clock part: the reference does not
// say how 1C shifts it, and amo1c sends naive dates only.
function toWallClock(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = DATETIME_PATTERN.exec(value);
  return match ? match[1] : undefined;
}

/**
 * Rows are renumbered 1..n in the order sent and echo the owner's Ref_Key
 * (reference onec §1.7). A row without LineNumber is refused with a generic
 * code -1, as reported from a live base (MISTA-TS).
 */
function convertRows(
  section: TabularSectionMeta,
  value: unknown,
  ownerKey: unknown,
): Entity[] {
  if (!Array.isArray(value)) throw invalidPropertyValue(section.name);

  return value.map((row: unknown, index) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw invalidPropertyValue(section.name);
    }
    if (!("LineNumber" in row)) {
      throw businessError(
        `Ошибка при записи табличной части "${section.name}": не указан LineNumber`,
      );
    }
    return convertRow(section, row as Entity, { ownerKey, index });
  });
}

function convertRow(
  section: TabularSectionMeta,
  row: Entity,
  position: { ownerKey: unknown; index: number },
): Entity {
  const converted: Entity = { Ref_Key: position.ownerKey };
  for (const column of section.columns) {
    const sent = row[column.name];
    converted[column.name] =
      sent === undefined ? defaultValue(column) : convertValue(column, sent);
  }
  converted.LineNumber = String(position.index + 1);
  return converted;
}

/** Seeds and admin inserts skip validation but still get the row shape. */
export function normalizeRows(
  section: TabularSectionMeta,
  rows: unknown,
  ownerKey: unknown,
): Entity[] {
  if (!Array.isArray(rows)) return [];
  return rows.map((row: Entity, index) => {
    const normalized: Entity = { Ref_Key: ownerKey };
    for (const column of section.columns) {
      normalized[column.name] = row[column.name] ?? defaultValue(column);
    }
    normalized.LineNumber = String(index + 1);
    return normalized;
  });
}
