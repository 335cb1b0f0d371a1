import type { Kysely } from "kysely";

/**
 * The request id of the webhook or Re-sync call that queued a job travels
 * with the job, so its run logs it whichever process runs it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("jobs").addColumn("req_id", "text").execute();
}
