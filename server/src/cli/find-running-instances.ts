import { sql } from "kysely";

import type { DatabaseHandle } from "../db/create-database.js";
import { countJobs } from "../queue/read-sqlite-jobs.js";

/**
 * What the database shows of amo1c instances still at work, one line each;
 * empty when it shows none. Scheduler leases are taken for a whole period
 * and not given back on stop, so one may outlive a stopped instance.
 */
export async function findRunningInstances(
  database: DatabaseHandle,
  now = new Date(),
): Promise<string[]> {
  const signs = await liveLeases(database, now);
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

async function liveLeases(database: DatabaseHandle, now: Date) {
  const rows = await database.db
    .selectFrom("locks")
    .select(["name", "holder", "expires_at"])
    .where("expires_at", ">", now.toISOString())
    .orderBy("name")
    .execute();
  return rows.map(
    (r) =>
      `scheduler lease ${r.name} is held by instance ${r.holder} until ${r.expires_at}`,
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
