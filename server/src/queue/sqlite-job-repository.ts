import { sql, type Kysely, type Selectable, type Transaction } from "kysely";

import type { Database, JobsTable } from "../db/schema.js";
import type { EnqueueOptions } from "./job-queue.js";
import {
  countJobs,
  isDealPending,
  listFailedJobs,
} from "./read-sqlite-jobs.js";

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

type Context = SqliteJobRepositoryOptions;
type Trx = Transaction<Database>;

export interface RetryPlan {
  runAt: Date;
  reason: string;
}

/**
 * Rows of the `jobs` table and the rules that keep them consistent: at most
 * one queued job per deal (plus the one running), so a claim can never pick
 * two jobs of one deal and a burst of webhooks folds into one run. Every
 * change that reads before it writes runs in one transaction.
 */
export function createSqliteJobRepository(ctx: SqliteJobRepositoryOptions) {
  const { db } = ctx;
  return {
    enqueue: (dealId: number, options: EnqueueOptions) =>
      db.transaction().execute((trx) => enqueue(ctx, trx, dealId, options)),
    claimDue: (limit: number) =>
      db.transaction().execute((trx) => claimDue(ctx, trx, limit)),
    markDone: (job: JobRow) => markDone(ctx, job),
    markFailed: (job: JobRow, reason: string) => markFailed(ctx, job, reason),
    scheduleRetry: (job: JobRow, plan: RetryPlan) =>
      db.transaction().execute((trx) => requeue(ctx, trx, job, plan)),
    recoverInterrupted: () =>
      db.transaction().execute((trx) => recoverInterrupted(ctx, trx)),
    requeueFailed: () =>
      db.transaction().execute((trx) => requeueFailed(ctx, trx)),
    isPending: (dealId: number) => isDealPending(db, dealId),
    counts: () => countJobs(db),
    listFailed: () => listFailedJobs(db),
  };
}

export type SqliteJobRepository = ReturnType<typeof createSqliteJobRepository>;

async function enqueue(
  ctx: Context,
  trx: Trx,
  dealId: number,
  options: EnqueueOptions,
): Promise<void> {
  const priority = options.priority === true;
  const delayMs = priority ? 0 : ctx.debounceMs;
  const runAt = new Date(ctx.now().getTime() + delayMs).toISOString();

  const queued = await findQueued(trx, dealId);
  if (!queued) {
    await insertQueued(ctx, trx, {
      dealId,
      trigger: options.trigger,
      runAt,
      priority,
      reqId: options.reqId ?? null,
    });
    return;
  }

  // The first enqueue fixed the run time; later webhooks ride along
  // (debounce), a manual re-sync pulls the run forward.
  if (!priority) return;
  await trx
    .updateTable("jobs")
    .set({
      run_at: minIso(queued.run_at, runAt),
      priority: PRIORITY_MANUAL,
      trigger: options.trigger,
      ...(options.reqId === undefined ? {} : { req_id: options.reqId }),
      updated_at: iso(ctx),
    })
    .where("id", "=", queued.id)
    .execute();
}

interface NewJob {
  dealId: number;
  trigger: string;
  runAt: string;
  priority: boolean;
  reqId: string | null;
}

async function insertQueued(ctx: Context, trx: Trx, job: NewJob) {
  await trx
    .insertInto("jobs")
    .values({
      deal_id: job.dealId,
      status: "queued",
      priority: job.priority ? PRIORITY_MANUAL : PRIORITY_NORMAL,
      trigger: job.trigger,
      run_at: job.runAt,
      attempts: 0,
      max_attempts: ctx.maxAttempts,
      last_error: null,
      locked_until: null,
      req_id: job.reqId,
      created_at: iso(ctx),
      updated_at: iso(ctx),
    })
    .execute();
}

/** Marks up to `limit` due jobs running; deals with a running job wait. */
async function claimDue(ctx: Context, trx: Trx, limit: number) {
  const rows = await trx
    .selectFrom("jobs")
    .selectAll()
    .where("status", "=", "queued")
    .where("run_at", "<=", iso(ctx))
    .where("deal_id", "not in", (qb) =>
      qb.selectFrom("jobs").select("deal_id").where("status", "=", "running"),
    )
    .orderBy("priority", "desc")
    .orderBy("run_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];

  // An attempt counts when it starts, so a job that kills the process
  // every time still runs out of attempts.
  const ids = rows.map((r) => r.id);
  await trx
    .updateTable("jobs")
    .set({
      status: "running",
      attempts: sql`attempts + 1`,
      updated_at: iso(ctx),
    })
    .where("id", "in", ids)
    .execute();
  return rows.map((r) => ({
    ...r,
    status: "running",
    attempts: r.attempts + 1,
  }));
}

async function markDone(ctx: Context, job: JobRow) {
  // The exchange journal keeps the history; a finished job has no use.
  await ctx.db.deleteFrom("jobs").where("id", "=", job.id).execute();
}

async function markFailed(ctx: Context, job: JobRow, reason: string) {
  await ctx.db
    .updateTable("jobs")
    .set({ status: "failed", last_error: reason, updated_at: iso(ctx) })
    .where("id", "=", job.id)
    .execute();
}

/**
 * Puts a job back in the queue. When a newer run of the deal was queued
 * meanwhile, the two merge into that row: it keeps the later run time (the
 * backoff holds) and the higher attempt count (the limit still applies).
 */
async function requeue(ctx: Context, trx: Trx, job: JobRow, plan: RetryPlan) {
  const runAt = plan.runAt.toISOString();
  const queued = await findQueued(trx, job.deal_id);
  if (!queued) {
    await trx
      .updateTable("jobs")
      .set({
        status: "queued",
        run_at: runAt,
        last_error: plan.reason,
        updated_at: iso(ctx),
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
      updated_at: iso(ctx),
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
async function recoverInterrupted(ctx: Context, trx: Trx) {
  const rows = await trx
    .selectFrom("jobs")
    .selectAll()
    .where("status", "=", "running")
    .execute();

  let failed = 0;
  for (const row of rows) {
    if (row.attempts < row.max_attempts) {
      const reason = row.last_error ?? "interrupted by a restart";
      await requeue(ctx, trx, row, { runAt: ctx.now(), reason });
      continue;
    }
    failed += 1;
    await trx
      .updateTable("jobs")
      .set({
        status: "failed",
        last_error: `Interrupted ${row.attempts} times: the server stopped during every run of this job`,
        updated_at: iso(ctx),
      })
      .where("id", "=", row.id)
      .execute();
  }
  return { requeued: rows.length - failed, failed };
}

/**
 * Failed jobs go back with a fresh attempt budget, to run now. A deal that
 * already has a queued run (or two failed jobs) keeps one queued job.
 */
async function requeueFailed(ctx: Context, trx: Trx): Promise<number> {
  const rows = await trx
    .selectFrom("jobs")
    .select(["id", "deal_id"])
    .where("status", "=", "failed")
    .orderBy("id")
    .execute();

  for (const row of rows) {
    if (await findQueued(trx, row.deal_id)) {
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
        max_attempts: ctx.maxAttempts,
        run_at: iso(ctx),
        updated_at: iso(ctx),
      })
      .where("id", "=", row.id)
      .execute();
  }
  return rows.length;
}

function findQueued(trx: Trx, dealId: number) {
  return trx
    .selectFrom("jobs")
    .select(["id", "run_at", "attempts", "priority"])
    .where("deal_id", "=", dealId)
    .where("status", "=", "queued")
    .executeTakeFirst();
}

function iso(ctx: Context): string {
  return ctx.now().toISOString();
}

// ISO-8601 UTC strings of one format compare correctly as text.
function minIso(a: string, b: string): string {
  return a < b ? a : b;
}

function maxIso(a: string, b: string): string {
  return a > b ? a : b;
}
