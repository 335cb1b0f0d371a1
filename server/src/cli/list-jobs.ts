import type { JobQueue } from "../queue/job-queue.js";
import type { CliIo, ExitCode } from "./cli-io.js";

export interface ListJobsOptions {
  retryFailed?: boolean | undefined;
}

/** `amo1c jobs`: the queue's counts and every failed job with its reason. */
export async function listJobs(
  amo1c: { queue: JobQueue },
  options: ListJobsOptions,
  io: CliIo,
): Promise<ExitCode> {
  const { queue } = amo1c;
  const [counts, failed] = await Promise.all([queue.counts(), queue.failed()]);

  io.out(
    `queued: ${counts.queued}, running: ${counts.running}, failed: ${counts.failed}`,
  );
  for (const job of failed) {
    io.out(
      `  deal ${job.dealId}: failed at ${job.failedAt} after ${job.attempts} attempt(s): ${job.reason}`,
    );
  }

  if (options.retryFailed) {
    const retried = await queue.retryFailed();
    io.out(
      retried === 0
        ? "no failed jobs to retry"
        : `put ${retried} failed job(s) back in the queue; the running amo1c picks them up`,
    );
  }
  return 0;
}
