import { performance } from "node:perf_hooks";

import type { JobHandler } from "../queue/job-queue.js";
import type { JobRunOutcome, Metrics } from "./create-metrics.js";

/** Wraps the sync job handler to count its runs and time them. */
export function timeJobHandler(
  handler: JobHandler,
  metrics: Pick<Metrics, "jobRun">,
): JobHandler {
  return async (job) => {
    const started = performance.now();
    const sample = (outcome: JobRunOutcome) => ({
      outcome,
      attempt: job.attempt,
      durationMs: performance.now() - started,
    });

    try {
      const outcome = await handler(job);
      metrics.jobRun(sample(outcome.kind));
      return outcome;
    } catch (error) {
      metrics.jobRun(sample("error"));
      throw error;
    }
  };
}
