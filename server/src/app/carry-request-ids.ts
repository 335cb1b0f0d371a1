import { Router } from "express";

import type { JobHandler, JobQueue } from "../queue/job-queue.js";
import {
  currentLogContext,
  runWithLogContext,
} from "../observability/log-context.js";

/** Deals whose queuing request is remembered; older ones are forgotten. */
const MAX_REMEMBERED = 10_000;

/** Every line written while serving a request carries its id as reqId. */
export function bindRequestId(): Router {
  return Router().use((req, _res, next) => {
    runWithLogContext({ reqId: String(req.id) }, next);
  });
}

export interface RequestIdCarrier {
  /** The queue, remembering which request enqueued each deal. */
  queue: JobQueue;
  /** The handler, run with jobId, dealId and that request's id in the logs. */
  wrap(handler: JobHandler): JobHandler;
}

// TODO(#8): the request id lives in this process only; a job that pg-boss hands to another instance logs without it.
/**
 * Ties a sync run's log lines to the webhook or Re-sync call that queued it,
 * so one grep for a request id shows the run it caused.
 */
export function carryRequestIds(queue: JobQueue): RequestIdCarrier {
  const queuedBy = new Map<number, string>();

  const remember = (dealId: number, reqId: string | undefined) => {
    if (reqId === undefined) return;
    queuedBy.delete(dealId);
    queuedBy.set(dealId, reqId);
    if (queuedBy.size > MAX_REMEMBERED)
      queuedBy.delete(queuedBy.keys().next().value as number);
  };

  return {
    queue: {
      ...queue,
      async enqueue(dealId, options) {
        await queue.enqueue(dealId, options);
        remember(dealId, currentLogContext().reqId);
      },
    },
    wrap: (handler) => async (job) => {
      const reqId = queuedBy.get(job.dealId);
      const context = { jobId: job.id, dealId: job.dealId, reqId };
      const outcome = await runWithLogContext(context, () => handler(job));
      // A retry is still the same request's run; a finished one is not.
      if (outcome.kind !== "retry" && queuedBy.get(job.dealId) === reqId)
        queuedBy.delete(job.dealId);
      return outcome;
    },
  };
}
