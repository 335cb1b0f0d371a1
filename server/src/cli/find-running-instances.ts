import { sql } from "kysely";

import type { DatabaseHandle } from "../db/create-database.js";
import { countJobs } from "../queue/read-sqlite-jobs.js";
import { PRESENCE_PREFIX } from "../scheduler/mark-presence.js";

/**
 * What the database shows of amo1c instances still at work, one line each;
 * empty when it shows none. A running instance renews its presence on
 * every scheduler tick and takes it back on stop; one that was killed leaves
 * it for a minute and a half at most.
 */
export async function findRunningInstances(
  database: DatabaseHandle,
  now = new Date(),
): Promise<string[]> {
  const signs = await livePresences(database, now);
  if (database.kind === "postgres") {
    const sessions = await pgBossSessions(database);
    if (sessions > 0)
      signs.push(`${sessions} pg-boss connection(s) to this database are open`);
  } else {
    const { running } = await countJobs(database.db);
    if (running > 0) signs.push(`${running} sync job(s) are running`);
  }
  return signs;
}

async function livePresences(database: DatabaseHandle, now: Date) {
  const rows = await database.db
    .selectFrom("locks")
    .select(["holder", "expires_at"])
    .where("name", "like", `${PRESENCE_PREFIX}%`)
    .where("expires_at", ">", now.toISOString())
    .orderBy("name")
    .execute();
  return rows.map(
    (r) =>
      `instance ${r.holder} is up (it renews its presence until ${r.expires_at})`,
  );
}

/** Every amo1c server runs pg-boss, which names its connections so. */
async function pgBossSessions(database: DatabaseHandle): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = 'pgboss'
       AND pid <> pg_backend_pid()`.execute(database.db);
  return Number(rows[0]?.n ?? 0);
}
