import type { AmoLead } from "../amocrm/api-types.js";
import type { OrderFields, OrderRecord } from "../onec/gateway-types.js";
import type { DealState } from "./deal-state-repository.js";
import { decideOrderChanges } from "./decide-order-changes.js";
import { orderComment, orderMarker } from "./describe-deal.js";
import type { SyncContext } from "./sync-context.js";

export interface SyncOrderOptions {
  lead: AmoLead;
  state: DealState | null;
  fields: Omit<OrderFields, "sum" | "comment">;
}

/** Creates the deal's order once, then sends only what changed. */
export async function syncOrder(
  ctx: SyncContext,
  options: SyncOrderOptions,
): Promise<OrderRecord> {
  const { lead, state } = options;
  const desired: OrderFields = {
    ...options.fields,
    sum: lead.price,
    comment: orderComment(lead, ctx.accountUrl),
  };

  const current = await findCurrentOrder(ctx, lead.id, state);
  const decision = decideOrderChanges(current, desired);

  if (decision.kind === "unchanged" && current) return current;

  if (decision.kind === "update" && current) {
    const updated = await ctx.onec.updateOrder(current.ref, decision.changes);
    ctx.trail.writes.push(
      `1C order ${current.number} updated: ${Object.keys(decision.changes).join(", ")}`,
    );
    return updated;
  }

  const created = await ctx.onec.createOrder({
    ...desired,
    marker: orderMarker(lead.id),
    purpose: `order:${lead.id}`,
  });
  ctx.trail.writes.push(`1C order ${created.number} created`);
  return created;
}

/**
 * The order 1C holds for the deal: by the stored reference, or, before the
 * first recorded run, by amo1c's marker (a run that crashed after creating).
 */
async function findCurrentOrder(
  ctx: SyncContext,
  dealId: number,
  state: DealState | null,
): Promise<OrderRecord | null> {
  if (state?.order_ref) {
    ctx.trail.reads.push(`1C order ${state.order_ref}`);
    const order = await ctx.onec.findOrderByRef(state.order_ref);
    if (order) return order;
    ctx.log.warn(
      { dealId, ref: state.order_ref },
      "stored order gone from 1C; creating anew",
    );
    return null;
  }

  ctx.trail.reads.push("1C order by marker");
  return ctx.onec.findOrderByMarker(orderMarker(dealId));
}
