import type { Kysely } from "kysely";

import type { RunTrigger } from "../../../shared/deal-view.js";
import type { Database } from "../db/schema.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { computeBackoffDelay } from "./compute-backoff-delay.js";
import type { JobHandler, JobOutcome, JobQueue, SyncJob } from "./job-queue.js";
import { runJobHandler } from "./run-job-handler.js";
import {
  createSqliteJobRepository,
  type JobRow,
  type SqliteJobRepository,
} from "./sqlite-job-repository.js";

export const DEFAULT_DEBOUNCE_MS = 3000;
/**
 * A first sync spends ~3 s waiting on 1C and amoCRM round trips, so about
 * ten runs in flight keep amoCRM's 7 requests/s busy (docs/performance.md).
 */
export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_BACKOFF_BASE_MS = 2000;
export const DEFAULT_BACKOFF_MAX_MS = 5 * 60_000;
const DEFAULT_POLL_MS = 500;

export interface SqliteQueueOptions {
  db: Kysely<Database>;
  log: Logger;
  /** Enqueues of one deal within this window make one run. */
  debounceMs?: number | undefined;
  /** How often due jobs are looked for when nothing wakes the queue. */
  pollMs?: number | undefined;
  concurrency?: number | undefined;
  maxAttempts?: number | undefined;
  backoffBaseMs?: number | undefined;
  backoffMaxMs?: number | undefined;
  now?: (() => Date) | undefined;
}

/**
 * The queue of a single-process installation: rows in the `jobs` table of
 * the SQLite file that holds everything else. A finished job's row is
 * deleted at once (the exchange journal is the history); failed ones stay
 * until retryFailed().
 * One process runs workers over a file: at start the queue puts the
 * running jobs a crashed process left back in line, which would also take a
 * live second process's jobs. Several processes need PostgreSQL.
 */
export function createSqliteQueue(options: SqliteQueueOptions): JobQueue {
  const now = options.now ?? (() => new Date());
  const log = options.log.child({ queue: "sqlite" });
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const repo = createSqliteJobRepository({
    db: options.db,
    debounceMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    now,
  });
  const workers = createWorkers({
    repo,
    log,
    concurrency,
    pollMs: options.pollMs ?? DEFAULT_POLL_MS,
    backoff: {
      baseMs: options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
      maxMs: options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS,
    },
    now,
  });

  return {
    async enqueue(dealId, enqueueOptions) {
      await repo.enqueue(dealId, enqueueOptions);
      if (enqueueOptions.priority) workers.wake();
    },
    start: (handler) => workers.start(handler),
    stop: () => workers.stop(),
    isPending: (dealId) => repo.isPending(dealId),
    counts: () => repo.counts(),
    failed: () => repo.listFailed(),
    async retryFailed() {
      const count = await repo.requeueFailed();
      if (count > 0) workers.wake();
      return count;
    },
  };
}

interface WorkersOptions {
  repo: SqliteJobRepository;
  log: Logger;
  concurrency: number;
  pollMs: number;
  backoff: { baseMs: number; maxMs: number };
  now: () => Date;
}

/**
 * The claim loop: polls for due jobs, is woken early by priority enqueues
 * and finished jobs, and never holds more than `concurrency` runs.
 */
function createWorkers(options: WorkersOptions) {
  const { repo, log } = options;
  const running = new Set<Promise<void>>();
  let handler: JobHandler | null = null;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | null = null;
  let pollAgain = false;

  function schedule(delayMs: number) {
    clearTimeout(timer);
    if (handler) timer = setTimeout(() => void poll(), delayMs);
  }

  async function poll(): Promise<void> {
    if (!handler) return;
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = claimAndRun(handler);
    await polling;
    polling = null;

    const again = pollAgain;
    pollAgain = false;
    schedule(again ? 0 : options.pollMs);
  }

  async function claimAndRun(current: JobHandler) {
    const free = options.concurrency - running.size;
    if (free <= 0) return;
    try {
      const rows = await repo.claimDue(free);
      for (const row of rows) track(runOne(current, row));
    } catch (err) {
      log.error({ err }, "queue poll failed; retrying at the next poll");
    }
  }

  function track(run: Promise<void>) {
    running.add(run);
    void run.finally(() => {
      running.delete(run);
      // A finished run frees a slot and may unblock the deal's next job.
      if (handler) schedule(0);
    });
  }

  async function runOne(current: JobHandler, row: JobRow) {
    const job: SyncJob = {
      id: String(row.id),
      dealId: row.deal_id,
      trigger: row.trigger as RunTrigger,
      attempt: row.attempts,
      reqId: row.req_id ?? undefined,
    };
    const outcome = await runJobHandler(current, job, log);
    try {
      await settle(row, outcome);
    } catch (err) {
      // The row stays "running"; the next start puts it back in the queue.
      log.error(
        { err, dealId: row.deal_id, jobId: row.id },
        "could not record job outcome",
      );
    }
  }

  async function settle(row: JobRow, outcome: JobOutcome) {
    if (outcome.kind === "done") return repo.markDone(row);
    if (outcome.kind === "fail") return repo.markFailed(row, outcome.reason);

    if (row.attempts >= row.max_attempts) {
      log.error(
        { dealId: row.deal_id, attempts: row.attempts, reason: outcome.reason },
        "job failed after its last attempt",
      );
      return repo.markFailed(row, outcome.reason);
    }
    const delayMs = computeBackoffDelay({
      attempt: row.attempts,
      ...options.backoff,
    });
    log.warn(
      {
        dealId: row.deal_id,
        attempt: row.attempts,
        delayMs,
        reason: outcome.reason,
      },
      "job will be retried",
    );
    return repo.scheduleRetry(row, {
      runAt: new Date(options.now().getTime() + delayMs),
      reason: outcome.reason,
    });
  }

  async function start(next: JobHandler) {
    if (handler)
      throw new AppError(
        "internal_error",
        "The queue is already started; stop it before starting it again",
      );
    const recovered = await repo.recoverInterrupted();
    if (recovered.requeued + recovered.failed > 0)
      log.warn(recovered, "jobs interrupted by a restart were put back");
    handler = next;
    schedule(0);
  }

  async function stop() {
    handler = null;
    clearTimeout(timer);
    await polling;
    await Promise.allSettled([...running]);
  }

  return { start, stop, wake: () => schedule(0) };
}
