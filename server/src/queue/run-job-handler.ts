import type { Logger } from "../log.js";
import type { JobHandler, JobOutcome, SyncJob } from "./job-queue.js";

/**
 * Runs the handler for one job and always comes back with an outcome: a
 * handler that throws (a bug, a lost connection) counts as a transient
 * failure, so the job is retried with backoff instead of being lost.
 */
export async function runJobHandler(
  handler: JobHandler,
  job: SyncJob,
  log: Logger,
): Promise<JobOutcome> {
  const started = Date.now();
  let outcome: JobOutcome;
  try {
    outcome = await handler(job);
  } catch (err) {
    log.error({ err, dealId: job.dealId, jobId: job.id }, "job handler threw");
    const reason = err instanceof Error ? err.message : String(err);
    outcome = { kind: "retry", reason: reason || "the job handler failed" };
  }

  log.debug(
    {
      dealId: job.dealId,
      jobId: job.id,
      attempt: job.attempt,
      outcome: outcome.kind,
      durationMs: Date.now() - started,
    },
    "job finished",
  );
  return outcome;
}
