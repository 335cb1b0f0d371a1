import { setTimeout as sleep } from "node:timers/promises";

import type { DatabaseHandle } from "../db/create-database.js";
import type { Logger } from "../log.js";
import type { DealLock } from "../queue/create-deal-locks.js";
import { createQueueDealLocks } from "../queue/create-pgboss-queue.js";
import { isDealRunning } from "../queue/read-sqlite-jobs.js";
import type { CliIo } from "./cli-io.js";

/** About two ordinary runs (docs/performance.md): long enough, not forever. */
export const DEFAULT_LOCK_WAIT_MS = 30_000;
const LOCK_POLL_MS = 500;

export interface HoldDealRunOptions {
  database: DatabaseHandle;
  dealId: number;
  log: Logger;
  io: CliIo;
  /** PostgreSQL: how long to wait for a run elsewhere to end. */
  waitMs?: number | undefined;
  pollMs?: number | undefined;
}

/**
 * Keeps the queue's one-run-per-deal rule for a run outside the queue.
 * Returns the hold to release after the run, or null (after saying why)
 * when the deal is being synced and the run must not start.
 */
export async function holdDealRun(
  options: HoldDealRunOptions,
): Promise<DealLock | null> {
  if (options.database.kind === "postgres") return lockOnPostgres(options);

  // On SQLite one server process runs the workers over the file and marks
  // a job running in the transaction that claims it, so the jobs table
  // shows every run there is. A job it claims after this check may still
  // overlap this run; the exchange's writes are idempotent, so 1C stays
  // right, and the run after it sees what this one wrote.
  if (!(await isDealRunning(options.database.db, options.dealId)))
    return { release: () => Promise.resolve() };
  options.io.err(
    `deal ${options.dealId} is being synced by the server right now; try again in a moment`,
  );
  return null;
}

/** The advisory lock the pg-boss workers take around each run. */
async function lockOnPostgres(
  options: HoldDealRunOptions,
): Promise<DealLock | null> {
  const { dealId, io } = options;
  const locks = createQueueDealLocks({
    connectionString: options.database.url,
    log: options.log,
    maxConnections: 1,
  });
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const deadline = Date.now() + waitMs;

  let lock = await locks.tryLock(dealId);
  if (!lock)
    io.out(
      `deal ${dealId} is being synced by an amo1c instance; waiting up to ${Math.round(waitMs / 1000)} s for it to finish`,
    );
  while (!lock && Date.now() < deadline) {
    await sleep(options.pollMs ?? LOCK_POLL_MS);
    lock = await locks.tryLock(dealId);
  }
  if (lock) return releasingPool(lock, () => locks.close());

  await locks.close();
  io.err(
    `deal ${dealId} is still being synced by an amo1c instance; try again later`,
  );
  return null;
}

function releasingPool(lock: DealLock, close: () => Promise<void>): DealLock {
  return {
    async release() {
      await lock.release();
      await close();
    },
  };
}
