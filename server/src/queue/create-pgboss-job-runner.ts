import type PgBoss from "pg-boss";

import type { Logger } from "../log.js";
import type { JobHandler, JobOutcome, SyncJob } from "./job-queue.js";
import type { PgBossJobTable, SyncJobData } from "./pgboss-job-table.js";
import { runJobHandler } from "./run-job-handler.js";

type Job = PgBoss.JobWithMetadata<SyncJobData>;

export interface PgBossJobRunnerOptions {
  boss: PgBoss;
  table: PgBossJobTable;
  queue: string;
  /** How long waiting jobs of a running deal are held back at most. */
  holdSeconds: number;
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
      return run(job, dealId);
    }
    await table.stopRetries(job.id);
    await boss.fail(queue, job.id, { reason: "The job carries no deal id" });
  };
}
