import type { EntitySetMeta } from "./metadata/types.js";
import { formatWallClock, isEmptyValue } from "./metadata/wire-values.js";
import type { Entity } from "./types.js";

/** Document numbers are 11 characters, prefix included (reference onec §2.5). */
const DOCUMENT_NUMBER_LENGTH = 11;

/** Last number used per entity set. */
export type Counters = Map<string, number>;

/** Fills an empty Code, Number and document Date the way 1C autonumbers. */
export function assignNumbers(
  counters: Counters,
  meta: EntitySetMeta,
  entity: Entity,
): void {
  if (meta.codeLength > 0 && isEmptyValue(entity.Code)) {
    const code = String(nextNumber(counters, meta));
    entity.Code = code.padStart(meta.codeLength, "0");
  }
  if (meta.kind !== "Document") return;

  if (isEmptyValue(entity.Number)) {
    const digits = DOCUMENT_NUMBER_LENGTH - meta.numberPrefix.length;
    const number = String(nextNumber(counters, meta)).padStart(digits, "0");
    entity.Number = `${meta.numberPrefix}${number}`;
  }
  if (isEmptyValue(entity.Date)) entity.Date = formatWallClock(new Date());
}

/** Seeded codes and numbers move the autonumber past them. */
export function noteNumber(
  counters: Counters,
  meta: EntitySetMeta,
  entity: Entity,
): void {
  const numbered = meta.kind === "Document" ? entity.Number : entity.Code;
  const digits = typeof numbered === "string" ? /(\d+)$/.exec(numbered) : null;
  if (!digits) return;
  const current = counters.get(meta.name) ?? 0;
  counters.set(meta.name, Math.max(current, Number(digits[1])));
}

function nextNumber(counters: Counters, meta: EntitySetMeta): number {
  const next = (counters.get(meta.name) ?? 0) + 1;
  counters.set(meta.name, next);
  return next;
}
