import type PgBoss from "pg-boss";

import type { Logger } from "../log.js";
import type { DealLocks } from "./create-deal-locks.js";
import type { JobHandler, JobOutcome, SyncJob } from "./job-queue.js";
import type { PgBossJobTable, SyncJobData } from "./pgboss-job-table.js";
import { runJobHandler } from "./run-job-handler.js";

type Job = PgBoss.JobWithMetadata<SyncJobData>;

/** How long a job whose deal is locked waits before it is fetched again. */
export const LOCKED_DEAL_DELAY_SECONDS = 1;

export interface PgBossJobRunnerOptions {
  boss: PgBoss;
  table: PgBossJobTable;
  queue: string;
  /** How long waiting jobs of a running deal are held back at most. */
  holdSeconds: number;
  locks: DealLocks;
  log: Logger;
  handler: JobHandler;
}

/**
 * Runs one fetched job and records its outcome in pg-boss before returning,
 * so the worker's own complete() afterwards finds nothing left to do.
 */
export function createPgBossJobRunner(options: PgBossJobRunnerOptions) {
  const { boss, table, queue, log } = options;

  async function settle(job: Job, outcome: JobOutcome) {
    const dealId = job.data.dealId;
    if (outcome.kind === "done") return boss.complete(queue, job.id);

    if (outcome.kind === "fail") {
      await table.stopRetries(job.id);
      return boss.fail(queue, job.id, { reason: outcome.reason });
    }

    // Stately keeps one job per deal in "retry": if another one already
    // waits, pg-boss would fail this one outright. The waiting retry syncs
    // the deal anyway, so this job ends here.
    if (await table.hasWaitingRetry(dealId, job.id)) {
      log.warn(
        { dealId, reason: outcome.reason },
        "job folded into the deal's waiting retry",
      );
      return boss.complete(queue, job.id, { foldedIntoRetry: true });
    }

    const attempt = job.retryCount + 1;
    const fields = { dealId, attempt, reason: outcome.reason };
    if (job.retryCount >= job.retryLimit) {
      log.error(fields, "job failed after its last attempt");
    } else log.warn(fields, "job will be retried");
    return boss.fail(queue, job.id, { reason: outcome.reason });
  }

  /**
   * pg-boss 10 has no heartbeat: a run past expireInSeconds is handed out
   * again while it still runs, maybe to another process. The deal's lock
   * keeps the two apart: the second waits and comes back.
   */
  async function runLocked(job: Job, dealId: number) {
    const lock = await options.locks.tryLock(dealId);
    if (lock) {
      try {
        return await run(job, dealId);
      } finally {
        await lock.release();
      }
    }

    log.info({ dealId, jobId: job.id }, "deal is running elsewhere; job waits");
    const delay = LOCKED_DEAL_DELAY_SECONDS;
    if (!(await table.postpone(job.id, dealId, delay))) {
      await boss.complete(queue, job.id, { foldedIntoRetry: true });
    }
  }

  async function run(job: Job, dealId: number) {
    if (job.data.parked) await table.clearParked(job.id);
    // Jobs of this deal that are already waiting must not become due while
    // this one runs (see park()); they run right after it instead.
    await table.park(dealId, options.holdSeconds);

    const syncJob: SyncJob = {
      id: job.id,
      dealId,
      trigger: job.data.trigger,
      attempt: job.retryCount + 1,
      reqId: job.data.reqId,
    };
    try {
      await settle(job, await runJobHandler(options.handler, syncJob, log));
    } finally {
      await table.unpark(dealId);
    }
  }

  return async (job: Job): Promise<void> => {
    const dealId = job.data?.dealId;
    if (typeof dealId === "number" && Number.isSafeInteger(dealId)) {
      return runLocked(job, dealId);
    }
    await table.stopRetries(job.id);
    await boss.fail(queue, job.id, { reason: "The job carries no deal id" });
  };
}
