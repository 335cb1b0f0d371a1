import type { RunTrigger } from "../../../shared/deal-view.js";

export interface SyncJob {
  id: string;
  dealId: number;
  trigger: RunTrigger;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** The webhook or Re-sync call that queued the job, for its log lines. */
  reqId?: string | undefined;
}

export interface EnqueueOptions {
  trigger: RunTrigger;
  /** Manual re-sync: runs ahead of others and without the debounce delay. */
  priority?: boolean | undefined;
  /** The request queuing the job; a manual re-sync's replaces a waiting one's. */
  reqId?: string | undefined;
}

export interface QueueCounts {
  queued: number;
  running: number;
  failed: number;
}

export interface FailedJob {
  id: string;
  dealId: number;
  attempts: number;
  reason: string;
  failedAt: string;
}

/**
 * What a job handler reports: "retry" for transient causes (the queue
 * backs off and runs it again), "fail" to stop at once with the reason.
 */
export type JobOutcome =
  { kind: "done" } | { kind: "retry" | "fail"; reason: string };

export type JobHandler = (job: SyncJob) => Promise<JobOutcome>;

/**
 * The durable sync queue. Both implementations guarantee: an enqueued job
 * survives a crash; one deal never runs twice at once; several enqueues for
 * one deal inside the debounce window make one run; transient failures are
 * retried with exponential backoff; exhausted jobs stay visible as failed.
 */
export interface JobQueue {
  enqueue(dealId: number, options: EnqueueOptions): Promise<void>;
  start(handler: JobHandler): Promise<void>;
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
  /** Whether a run for the deal is queued or running right now. */
  isPending(dealId: number): Promise<boolean>;
  counts(): Promise<QueueCounts>;
  failed(): Promise<FailedJob[]>;
  /** Puts every failed job back in the queue; returns how many. */
  retryFailed(): Promise<number>;
}
