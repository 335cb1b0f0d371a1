import { sql, type Kysely, type Selectable, type Transaction } from "kysely";

import type { Database, JobsTable } from "../db/schema.js";
import type { EnqueueOptions, FailedJob, QueueCounts } from "./job-queue.js";

export type JobRow = Selectable<JobsTable>;

/** Manual re-syncs sort ahead of webhook runs among due jobs. */
export const PRIORITY_MANUAL = 10;
export const PRIORITY_NORMAL = 0;

export interface SqliteJobRepositoryOptions {
  db: Kysely<Database>;
  debounceMs: number;
  maxAttempts: number;
  now: () => Date;
}

export interface RetryPlan {
  runAt: Date;
  reason: string;
}

/**
 * Rows of the `jobs` table and the rules that keep them consistent: at most
 * one queued job per deal (plus the one running), so a claim can never pick
 * two jobs of one deal and a burst of webhooks folds into one run.
 */
export function createSqliteJobRepository(options: SqliteJobRepositoryOptions) {
  const { db } = options;
  const iso = () => options.now().toISOString();

  async function enqueue(dealId: number, enqueue: EnqueueOptions) {
    const priority = enqueue.priority === true;
    const nowMs = options.now().getTime();
    const runAt = new Date(nowMs + (priority ? 0 : options.debounceMs));

    await db.transaction().execute(async (trx) => {
      const queued = await findQueued(trx, dealId);
      if (!queued) {
        await insertQueued(trx, {
          dealId,
          trigger: enqueue.trigger,
          runAt,
          priority,
        });
        return;
      }
      // The first enqueue fixed the run time; later webhooks ride along
      // (debounce), a manual re-sync pulls the run forward.
      if (!priority) return;
      await trx
        .updateTable("jobs")
        .set({
          run_at: minIso(queued.run_at, runAt.toISOString()),
          priority: PRIORITY_MANUAL,
          trigger: enqueue.trigger,
          updated_at: iso(),
        })
        .where("id", "=", queued.id)
        .execute();
    });
  }

  interface InsertQueuedOptions {
    dealId: number;
    trigger: string;
    runAt: Date;
    priority: boolean;
  }

  async function insertQueued(
    trx: Transaction<Database>,
    job: InsertQueuedOptions,
  ) {
    await trx
      .insertInto("jobs")
      .values({
        deal_id: job.dealId,
        status: "queued",
        priority: job.priority ? PRIORITY_MANUAL : PRIORITY_NORMAL,
        trigger: job.trigger,
        run_at: job.runAt.toISOString(),
        attempts: 0,
        max_attempts: options.maxAttempts,
        last_error: null,
        locked_until: null,
        created_at: iso(),
        updated_at: iso(),
      })
      .execute();
  }

  /** Marks up to `limit` due jobs running; deals with a running job wait. */
  async function claimDue(limit: number): Promise<JobRow[]> {
    return db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("jobs")
        .selectAll()
        .where("status", "=", "queued")
        .where("run_at", "<=", iso())
        .where("deal_id", "not in", (qb) =>
          qb
            .selectFrom("jobs")
            .select("deal_id")
            .where("status", "=", "running"),
        )
        .orderBy("priority", "desc")
        .orderBy("run_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      if (rows.length === 0) return [];

      // An attempt counts when it starts, so a job that kills the process
      // every time still runs out of attempts.
      await trx
        .updateTable("jobs")
        .set({
          status: "running",
          attempts: sql`attempts + 1`,
          updated_at: iso(),
        })
        .where(
          "id",
          "in",
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map((r) => ({
        ...r,
        status: "running",
        attempts: r.attempts + 1,
      }));
    });
  }

  async function markDone(job: JobRow) {
    // The exchange journal keeps the history; a finished job has no use.
    await db.deleteFrom("jobs").where("id", "=", job.id).execute();
  }

  async function markFailed(job: JobRow, reason: string) {
    await db
      .updateTable("jobs")
      .set({ status: "failed", last_error: reason, updated_at: iso() })
      .where("id", "=", job.id)
      .execute();
  }

  async function scheduleRetry(job: JobRow, plan: RetryPlan) {
    await db.transaction().execute((trx) => requeue(trx, job, plan));
  }

  /**
   * Puts a job back in the queue. When a newer run of the deal was queued
   * meanwhile, the two merge into that row: it keeps the later run time (the
   * backoff holds) and the higher attempt count (the limit still applies).
   */
  async function requeue(
    trx: Transaction<Database>,
    job: JobRow,
    plan: RetryPlan,
  ) {
    const runAt = plan.runAt.toISOString();
    const queued = await findQueued(trx, job.deal_id);
    if (!queued) {
      await trx
        .updateTable("jobs")
        .set({
          status: "queued",
          run_at: runAt,
          last_error: plan.reason,
          updated_at: iso(),
        })
        .where("id", "=", job.id)
        .execute();
      return;
    }

    await trx
      .updateTable("jobs")
      .set({
        run_at: maxIso(queued.run_at, runAt),
        attempts: Math.max(queued.attempts, job.attempts),
        priority: Math.max(queued.priority, job.priority),
        last_error: plan.reason,
        updated_at: iso(),
      })
      .where("id", "=", queued.id)
      .execute();
    await trx.deleteFrom("jobs").where("id", "=", job.id).execute();
  }

  /**
   * Jobs still marked running when the queue starts were cut off by a crash
   * or a kill. Their webhooks were answered already, so they must run again;
   * one that used up its attempts this way is failed instead.
   */
  async function recoverInterrupted(): Promise<{
    requeued: number;
    failed: number;
  }> {
    return db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("jobs")
        .selectAll()
        .where("status", "=", "running")
        .execute();
      let failed = 0;
      for (const row of rows) {
        if (row.attempts >= row.max_attempts) {
          failed += 1;
          await trx
            .updateTable("jobs")
            .set({
              status: "failed",
              last_error: `Interrupted ${row.attempts} times: the server stopped during every run of this job`,
              updated_at: iso(),
            })
            .where("id", "=", row.id)
            .execute();
          continue;
        }
        await requeue(trx, row, {
          runAt: options.now(),
          reason: row.last_error ?? "interrupted by a restart",
        });
      }
      return { requeued: rows.length - failed, failed };
    });
  }

  async function isPending(dealId: number): Promise<boolean> {
    const row = await db
      .selectFrom("jobs")
      .select("id")
      .where("deal_id", "=", dealId)
      .where("status", "in", ["queued", "running"])
      .executeTakeFirst();
    return row !== undefined;
  }

  async function counts(): Promise<QueueCounts> {
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

  async function listFailed(): Promise<FailedJob[]> {
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

  /**
   * Failed jobs go back with a fresh attempt budget, to run now. A deal that
   * already has a queued run (or two failed jobs) keeps one queued job.
   */
  async function requeueFailed(): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("jobs")
        .selectAll()
        .where("status", "=", "failed")
        .orderBy("id")
        .execute();
      for (const row of rows) {
        const queued = await findQueued(trx, row.deal_id);
        if (queued) {
          await trx.deleteFrom("jobs").where("id", "=", row.id).execute();
          continue;
        }
        await trx
          .updateTable("jobs")
          .set({
            status: "queued",
            trigger: "retry",
            priority: PRIORITY_NORMAL,
            attempts: 0,
            max_attempts: options.maxAttempts,
            run_at: iso(),
            updated_at: iso(),
          })
          .where("id", "=", row.id)
          .execute();
      }
      return rows.length;
    });
  }

  return {
    enqueue,
    claimDue,
    markDone,
    markFailed,
    scheduleRetry,
    recoverInterrupted,
    isPending,
    counts,
    listFailed,
    requeueFailed,
  };
}

export type SqliteJobRepository = ReturnType<typeof createSqliteJobRepository>;

function findQueued(trx: Transaction<Database>, dealId: number) {
  return trx
    .selectFrom("jobs")
    .select(["id", "run_at", "attempts", "priority"])
    .where("deal_id", "=", dealId)
    .where("status", "=", "queued")
    .executeTakeFirst();
}

// ISO-8601 UTC strings of one format compare correctly as text.
function minIso(a: string, b: string): string {
  return a < b ? a : b;
}

function maxIso(a: string, b: string): string {
  return a > b ? a : b;
}
