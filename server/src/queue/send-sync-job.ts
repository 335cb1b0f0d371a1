import type PgBoss from "pg-boss";

import type { PgBossJobTable, SyncJobData } from "./pgboss-job-table.js";
import { PRIORITY_MANUAL, PRIORITY_NORMAL } from "./sqlite-job-repository.js";

/** The pg-boss side of the queue options, in pg-boss's units. */
export interface PgBossJobSettings {
  queue: string;
  debounceSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
  /** Also how long waiting jobs are held behind a running one at most. */
  expireInSeconds: number;
}

export interface SendSyncJobOptions {
  boss: PgBoss;
  table: PgBossJobTable;
  settings: PgBossJobSettings;
  data: SyncJobData;
  /** "now": due at once, at normal priority (retryFailed). */
  when: "debounced" | "now" | "manual";
}

/**
 * Stores a sync job for a deal. Debounced: stately drops the send when a job
 * of the deal already waits, which is the debounce. Manual: due now and
 * ahead of others; a job already waiting is pulled forward instead, since
 * stately allows no second one.
 */
export async function sendSyncJob(options: SendSyncJobOptions): Promise<void> {
  const { boss, settings, data } = options;
  if (options.when === "manual") {
    await sendManual(options);
  } else {
    const delay = options.when === "now" ? 0 : settings.debounceSeconds;
    await boss.send(settings.queue, data, jobOptions(settings, data, delay));
  }
  await holdBackWhileRunning(options);
}

/** If the waiting job became active meanwhile, the next round's send succeeds. */
async function sendManual(options: SendSyncJobOptions): Promise<void> {
  const { boss, table, settings, data } = options;
  const sendOptions = jobOptions(settings, data, 0, PRIORITY_MANUAL);
  for (let round = 0; round < 3; round++) {
    if (await boss.send(settings.queue, data, sendOptions)) return;
    if (await table.promote(data.dealId, PRIORITY_MANUAL, data)) return;
  }
}

/**
 * A job stored while its deal runs must wait for that run (see park()). The
 * run unparks its deal's jobs when it ends; checking again after parking
 * covers a run that ended in between, so no job stays held.
 */
async function holdBackWhileRunning(options: SendSyncJobOptions) {
  const { table, settings, data } = options;
  const parked = await table.park(data.dealId, settings.expireInSeconds);
  if (parked > 0 && !(await table.isRunning(data.dealId))) {
    await table.unpark(data.dealId);
  }
}

/**
 * retryBackoff doubles the delay each retry with jitter: the n-th retry
 * waits delay·2^(n-1)·(1…2) s.
 * pg-boss 10 has no cap on that delay. amo1c's settings (2 s, 7 retries)
 * end at 2–4 minutes, inside the SQLite queue's 5-minute cap, so both
 * queues wait alike; a larger retry count would outgrow it here.
 */
function jobOptions(
  settings: PgBossJobSettings,
  data: SyncJobData,
  startAfterSeconds: number,
  priority = PRIORITY_NORMAL,
): PgBoss.SendOptions {
  return {
    singletonKey: String(data.dealId),
    startAfter: startAfterSeconds,
    priority,
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: settings.expireInSeconds,
  };
}
