import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";

/** Lease names of running instances start so; task leases with "task:". */
export const PRESENCE_PREFIX = "instance:";

/**
 * Says in the database that this instance is up until `ttlMs` from now.
 * Task leases cannot say it: they are held for a whole period (a day for
 * some) and outlive a stopped instance. Renewed on every scheduler tick and
 * removed on stop, so only a killed instance leaves one behind, for ttlMs.
 */
export async function markPresence(
  db: Kysely<Database>,
  options: { holder: string; ttlMs: number; now?: Date },
): Promise<void> {
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + options.ttlMs).toISOString();
  await db
    .insertInto("locks")
    .values({
      name: PRESENCE_PREFIX + options.holder,
      holder: options.holder,
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc.column("name").doUpdateSet({ expires_at: expiresAt }),
    )
    .execute();
}

/** Takes this instance's presence back: it has stopped. */
export async function clearPresence(
  db: Kysely<Database>,
  holder: string,
): Promise<void> {
  await db
    .deleteFrom("locks")
    .where("name", "=", PRESENCE_PREFIX + holder)
    .execute();
}
