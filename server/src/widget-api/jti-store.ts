import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";

export interface JtiStore {
  /** Records a token id; false when it was seen before (a replay). */
  claim(jti: string, expiresAt: Date): Promise<boolean>;
}

/**
 * One-time token ids, kept until they expire. The table is shared by all
 * instances on PostgreSQL, so a replay to another instance is refused too.
 */
export function createJtiStore(
  db: Kysely<Database>,
  now = () => new Date(),
): JtiStore {
  let claimsSinceSweep = 0;

  return {
    async claim(jti, expiresAt) {
      const result = await db
        .insertInto("used_jtis")
        .values({ jti, expires_at: expiresAt.toISOString() })
        .onConflict((oc) => oc.column("jti").doNothing())
        .executeTakeFirst();

      // Sweep expired ids now and then instead of on every request.
      if (++claimsSinceSweep >= 100) {
        claimsSinceSweep = 0;
        await db
          .deleteFrom("used_jtis")
          .where("expires_at", "<", now().toISOString())
          .execute();
      }
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
  };
}
