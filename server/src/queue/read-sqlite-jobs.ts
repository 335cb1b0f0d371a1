import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";
import type { FailedJob, QueueCounts } from "./job-queue.js";

/** Whether the deal has a queued or running job. */
export function isDealPending(
  db: Kysely<Database>,
  dealId: number,
): Promise<boolean> {
  return hasJobIn(db, dealId, ["queued", "running"]);
}

/** Whether a job of the deal is running now. */
export function isDealRunning(
  db: Kysely<Database>,
  dealId: number,
): Promise<boolean> {
  return hasJobIn(db, dealId, ["running"]);
}

async function hasJobIn(
  db: Kysely<Database>,
  dealId: number,
  statuses: string[],
): Promise<boolean> {
  const row = await db
    .selectFrom("jobs")
    .select("id")
    .where("deal_id", "=", dealId)
    .where("status", "in", statuses)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countJobs(db: Kysely<Database>): Promise<QueueCounts> {
  const rows = await db
    .selectFrom("jobs")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("status")
    .execute();
  const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
  return {
    queued: by.get("queued") ?? 0,
    running: by.get("running") ?? 0,
    failed: by.get("failed") ?? 0,
  };
}

/** Failed jobs, the most recent first. */
export async function listFailedJobs(
  db: Kysely<Database>,
): Promise<FailedJob[]> {
  const rows = await db
    .selectFrom("jobs")
    .selectAll()
    .where("status", "=", "failed")
    .orderBy("updated_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    dealId: r.deal_id,
    attempts: r.attempts,
    reason: r.last_error ?? "no reason recorded",
    failedAt: r.updated_at,
  }));
}
