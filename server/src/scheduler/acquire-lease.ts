import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";

/**
 * Takes the named lease for `ttlMs` unless it is held, by anyone, until
 * later. Works the same on SQLite and PostgreSQL: the update only matches an
 * expired row and the insert only a missing one, so two instances racing
 * for it can't both win, and a holder can't take it twice in one period.
 */
export async function acquireLease(
  db: Kysely<Database>,
  options: { name: string; holder: string; ttlMs: number; now?: Date },
): Promise<boolean> {
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + options.ttlMs).toISOString();

  const inserted = await db
    .insertInto("locks")
    .values({
      name: options.name,
      holder: options.holder,
      expires_at: expiresAt,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return true;

  const updated = await db
    .updateTable("locks")
    .set({ holder: options.holder, expires_at: expiresAt })
    .where("name", "=", options.name)
    .where("expires_at", "<", now.toISOString())
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
