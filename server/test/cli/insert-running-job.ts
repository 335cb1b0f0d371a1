import type { Kysely } from "kysely";

import type { Database } from "../../src/db/schema.js";

/** A SQLite job row as a server leaves it while it runs the deal. */
export async function insertRunningJob(
  db: Kysely<Database>,
  dealId: number,
): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto("jobs")
    .values({
      deal_id: dealId,
      status: "running",
      priority: 0,
      trigger: "webhook",
      run_at: now,
      attempts: 1,
      max_attempts: 8,
      last_error: null,
      locked_until: null,
      req_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}
