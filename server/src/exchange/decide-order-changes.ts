import type { OrderFields, OrderRecord } from "../onec/gateway-types.js";

export type OrderDecision =
  | { kind: "create" }
  | { kind: "update"; changes: Partial<OrderFields> }
  | { kind: "unchanged" };

/**
 * Rule 5: one order per deal, created once; later runs send only what
 * differs from the order 1C holds, and nothing when nothing differs.
 */
export function decideOrderChanges(
  current: OrderRecord | null,
  desired: OrderFields,
): OrderDecision {
  if (!current) return { kind: "create" };

  const changes: Partial<OrderFields> = {};
  if (current.counterpartyRef !== desired.counterparty.ref) {
    changes.counterparty = desired.counterparty;
  }
  if (current.contactPersonRef !== desired.contactPersonRef) {
    changes.contactPersonRef = desired.contactPersonRef;
  }
  // 1C keeps sums to the kopeck; compare in kopecks to ignore float noise.
  if (Math.round(current.sum * 100) !== Math.round(desired.sum * 100)) {
    changes.sum = desired.sum;
  }
  if (current.comment !== desired.comment) changes.comment = desired.comment;

  return Object.keys(changes).length === 0
    ? { kind: "unchanged" }
    : { kind: "update", changes };
}
