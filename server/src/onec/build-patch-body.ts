import type { OdataEntity } from "./create-odata-client.js";
import { numberRows } from "./build-contact-info-rows.js";
import { isGuid } from "./format-odata-literal.js";
import { EMPTY_ONEC_REF } from "./read-onec-value.js";

/** Sums are compared to the kopeck; 1C stores them as decimals. */
const SUM_TOLERANCE = 0.005;

/**
 * The PATCH body that turns `current` into `desired`: only fields whose
 * values differ. A tabular section that differs is sent whole and
 * renumbered, because 1C replaces the section with what it receives
 * (reference onec §1.7).
 */
export function buildPatchBody(
  current: OdataEntity,
  desired: OdataEntity,
): OdataEntity {
  const patch: OdataEntity = {};
  for (const [field, value] of Object.entries(desired)) {
    if (Array.isArray(value)) {
      if (!sameRows(current[field], value)) {
        patch[field] = numberRows(value as OdataEntity[]);
      }
    } else if (!sameValue(current[field], value)) {
      patch[field] = value;
    }
  }
  return patch;
}

function sameRows(current: unknown, desired: unknown[]): boolean {
  if (!Array.isArray(current) || current.length !== desired.length) {
    return false;
  }
  return desired.every((row, index) => {
    const stored = current[index] as OdataEntity | undefined;
    return Object.entries(row as OdataEntity)
      .filter(([column]) => column !== "LineNumber")
      .every(([column, value]) => sameValue(stored?.[column], value));
  });
}

function sameValue(current: unknown, desired: unknown): boolean {
  if (typeof desired === "number") {
    return Math.abs(Number(current) - desired) < SUM_TOLERANCE;
  }
  return normalise(current) === normalise(desired);
}

function normalise(value: unknown): unknown {
  if (value === null || value === undefined || value === EMPTY_ONEC_REF) {
    return "";
  }
  // 1C answers with lower-case GUIDs; callers may hold upper-case ones.
  return typeof value === "string" && isGuid(value)
    ? value.toLowerCase()
    : value;
}
