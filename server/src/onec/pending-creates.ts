import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";

export interface PendingCreate {
  refKey: string;
  /** True when an earlier attempt chose this key (it may exist in 1C). */
  earlier: boolean;
}

/**
 * Ref_Keys chosen for creates that have not been confirmed yet. The key is
 * stored before the POST is sent, so a retry after a crash or a timeout asks
 * 1C for that same key instead of creating a second object.
 */
export interface PendingCreates {
  /** The key stored for purpose, or refKey stored as the new choice. */
  claim(
    purpose: string,
    entitySet: string,
    refKey: string,
  ): Promise<PendingCreate>;
  /** The key and set stored for purpose, if an attempt was started. */
  find(purpose: string): Promise<{ refKey: string; entitySet: string } | null>;
  /** Forgets the purpose once 1C confirmed the object. */
  release(purpose: string): Promise<void>;
}

export function createPendingCreates(db: Kysely<Database>): PendingCreates {
  async function read(purpose: string) {
    return db
      .selectFrom("onec_pending_creates")
      .select(["ref_key", "entity_set"])
      .where("purpose", "=", purpose)
      .executeTakeFirst();
  }

  async function release(purpose: string) {
    await db
      .deleteFrom("onec_pending_creates")
      .where("purpose", "=", purpose)
      .execute();
  }

  return {
    release,

    async find(purpose) {
      const stored = await read(purpose);
      return stored
        ? { refKey: stored.ref_key, entitySet: stored.entity_set }
        : null;
    },

    async claim(purpose, entitySet, refKey) {
      const stored = await read(purpose);
      if (stored?.entity_set === entitySet) {
        return { refKey: stored.ref_key, earlier: true };
      }

      // A purpose reused for another entity set starts afresh.
      if (stored) await release(purpose);
      await db
        .insertInto("onec_pending_creates")
        .values({
          purpose,
          ref_key: refKey,
          entity_set: entitySet,
          created_at: new Date().toISOString(),
        })
        .onConflict((oc) => oc.column("purpose").doNothing())
        .execute();

      // Another process may have claimed the purpose in between.
      const winner = await read(purpose);
      const winnerKey = winner?.ref_key ?? refKey;
      return { refKey: winnerKey, earlier: winnerKey !== refKey };
    },
  };
}
