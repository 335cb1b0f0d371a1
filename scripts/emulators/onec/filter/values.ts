import type { PropertyMeta } from "../metadata/types.js";
import type { Literal } from "./ast.js";

/** A composite reference: the value and its `_Type` (reference onec §1.4). */
export type TypedRef = { t: "ref"; v: string; type: string };
export type Value = Literal | TypedRef;

const NULL: Value = { t: "null" };

/** Reads a stored wire value as a typed filter value. */
export function readValue(
  meta: PropertyMeta,
  record: Record<string, unknown>,
): Value {
  const raw = record[meta.name];
  if (raw === undefined || raw === null) return NULL;
  if (meta.composite) {
    const type = String(record[`${meta.name}_Type`] ?? "");
    return { t: "ref", v: String(raw).toLowerCase(), type };
  }

  switch (meta.type) {
    case "Edm.Guid":
      return { t: "guid", v: String(raw).toLowerCase() };
    case "Edm.DateTime":
      return { t: "datetime", v: String(raw) };
    case "Edm.Boolean":
      return { t: "boolean", v: raw === true };
    case "Edm.Double":
    case "Edm.Int64":
      return { t: "number", v: Number(raw) };
    case "Edm.String":
      return { t: "string", v: String(raw) };
  }
}

/**
 * Equality of two values. Values of different types are never equal; in
 * particular a composite field compared with a bare guid literal matches
 * nothing, as 1C documents (reference onec §1.5, "composite fields").
 */
export function valuesEqual(left: Value, right: Value): boolean {
  if (left.t === "ref" || right.t === "ref") {
    return (
      left.t === "ref" &&
      right.t === "ref" &&
      left.v === right.v &&
      left.type === right.type
    );
  }
  if (left.t === "null" || right.t === "null") return left.t === right.t;
  return left.t === right.t && left.v === right.v;
}

/** Ordering of two values of one type; undefined when they do not compare. */
export function compareValues(left: Value, right: Value): number | undefined {
  if (left.t !== right.t) return undefined;
  if (left.t === "number" && right.t === "number") return left.v - right.v;
  if (left.t === "boolean" && right.t === "boolean") {
    return Number(left.v) - Number(right.v);
  }
  if (
    (left.t === "string" || left.t === "datetime" || left.t === "guid") &&
    (right.t === "string" || right.t === "datetime" || right.t === "guid")
  ) {
    return compareText(left.v, right.v);
  }
  return undefined;
}

export function compareText(left: string, right: string): number {
  return left.localeCompare(right, "ru");
}

export function isTrue(value: Value): boolean {
  return value.t === "boolean" && value.v;
}
