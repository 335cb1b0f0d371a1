import type { Kysely, Selectable } from "kysely";

import type { Database, DealStateTable } from "../db/schema.js";

export type DealState = Selectable<DealStateTable>;
export type DealStatePatch = Partial<Omit<DealState, "deal_id" | "updated_at">>;

export interface DealStateRepository {
  get(dealId: number): Promise<DealState | null>;
  /** Creates the row when missing; only the given columns change. */
  patch(dealId: number, patch: DealStatePatch): Promise<void>;
}

export function createDealStateRepository(
  db: Kysely<Database>,
): DealStateRepository {
  return {
    async get(dealId) {
      const row = await db
        .selectFrom("deal_state")
        .selectAll()
        .where("deal_id", "=", dealId)
        .executeTakeFirst();
      return row ?? null;
    },

    async patch(dealId, patch) {
      const updated_at = new Date().toISOString();
      await db
        .insertInto("deal_state")
        .values({ deal_id: dealId, ...patch, updated_at })
        .onConflict((oc) =>
          oc.column("deal_id").doUpdateSet({ ...patch, updated_at }),
        )
        .execute();
    },
  };
}
