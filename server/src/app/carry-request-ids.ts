import { Router } from "express";

import type { JobHandler, JobQueue } from "../queue/job-queue.js";
import {
  currentLogContext,
  runWithLogContext,
} from "../observability/log-context.js";

/** Every line written while serving a request carries its id as reqId. */
export function bindRequestId(): Router {
  return Router().use((req, _res, next) => {
    runWithLogContext({ reqId: String(req.id) }, next);
  });
}

export interface RequestIdCarrier {
  /** The queue, storing the queuing request's id in each job. */
  queue: JobQueue;
  /** The handler, run with jobId, dealId and that request's id in the logs. */
  wrap(handler: JobHandler): JobHandler;
}

/**
 * Ties a sync run's log lines to the webhook or Re-sync call that queued it,
 * so one grep for a request id shows the run it caused. The id travels in
 * the job itself: on PostgreSQL any instance may run the job.
 */
export function carryRequestIds(queue: JobQueue): RequestIdCarrier {
  return {
    queue: {
      ...queue,
      enqueue: (dealId, options) =>
        queue.enqueue(dealId, {
          ...options,
          reqId: options.reqId ?? currentLogContext().reqId,
        }),
    },
    wrap: (handler) => (job) =>
      runWithLogContext(
        { jobId: job.id, dealId: job.dealId, reqId: job.reqId },
        () => handler(job),
      ),
  };
}
