import type { NewCounterparty } from "../gateway-types.js";
import { createIdempotently } from "../create-idempotently.js";
import type { GatewayContext } from "./gateway-context.js";

/**
 * Creates the UT 11 partner a new counterparty belongs to: the catalog
 * requires Партнер, and a partner must be marked as a client (reference onec §2.3).
 */
export async function createPartner(
  ctx: GatewayContext,
  input: NewCounterparty,
): Promise<string | null> {
  const spec = ctx.profile.partner;
  if (!spec) return null;
  await ctx.publication.assertWritable(spec.entitySet);

  const name = input.name.trim();
  const row = await createIdempotently({
    ...ctx,
    entitySet: spec.entitySet,
    purpose: partnerPurpose(input.purpose),
    // Released only once the counterparty exists, so a retry after a crash
    // in between reuses this partner instead of making a second one.
    keepPending: true,
    body: {
      [spec.fields.name]: name,
      [spec.fields.fullName]: name,
      [spec.fields.comment]: input.marker,
      ...spec.constants,
      ...spec.kinds[input.kind],
    },
  });
  return String(row.Ref_Key);
}

export function partnerPurpose(purpose: string): string {
  return `${purpose}/partner`;
}
