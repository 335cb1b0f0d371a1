import PgBoss from "pg-boss";

import type { Logger } from "../log.js";
import {
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_DEBOUNCE_MS,
  DEFAULT_MAX_ATTEMPTS,
} from "./create-sqlite-queue.js";
import { createDealLocks, type DealLocks } from "./create-deal-locks.js";
import { createPgBossJobRunner } from "./create-pgboss-job-runner.js";
import type { FailedJob, JobQueue } from "./job-queue.js";
import {
  createPgBossJobTable,
  type PgBossJobTable,
  type SyncJobData,
} from "./pgboss-job-table.js";
import { sendSyncJob, type PgBossJobSettings } from "./send-sync-job.js";
import { withAdvisoryLock } from "./with-advisory-lock.js";

export const DEFAULT_QUEUE_NAME = "amo1c-deal-sync";
export const DEFAULT_PGBOSS_SCHEMA = "pgboss";
/** A run older than this is presumed dead and retried (pg-boss's default: 15 min). */
export const DEFAULT_EXPIRE_IN_SECONDS = 5 * 60;
// pg-boss's own floor for polling is 500 ms.
const DEFAULT_POLL_MS = 2000;
const FAILED_KEPT_SECONDS = 30 * 24 * 3600;
const COMPLETED_KEPT_SECONDS = 3600;
const STOP_TIMEOUT_MS = 60_000;

export interface PgBossQueueOptions {
  connectionString: string;
  log: Logger;
  debounceMs?: number | undefined;
  concurrency?: number | undefined;
  maxAttempts?: number | undefined;
  /** First retry delay; pg-boss counts it in whole seconds (at least 1). */
  backoffBaseMs?: number | undefined;
  pollMs?: number | undefined;
  /**
   * A running job older than this is failed (and retried) by pg-boss: how
   * the jobs of a killed process come back. pg-boss 10 has no heartbeat.
   */
  expireInSeconds?: number | undefined;
  /** How often pg-boss looks for expired jobs. */
  maintenanceIntervalSeconds?: number | undefined;
  /** Postgres schema of pg-boss's tables; tests use their own. */
  schema?: string | undefined;
  queueName?: string | undefined;
}

/**
 * The queue of installations on PostgreSQL, shared by any number of
 * processes through pg-boss 10. The queue's "stately" policy keeps at most
 * one job per deal (singletonKey) in each of the states created, retry and
 * active: a waiting job absorbs further enqueues (debounce through
 * startAfter) and a second job of a deal can't become active while one is.
 * Jobs of a deal that runs are parked until the run ends, or one busy deal
 * would stall every fetch (see park() in pgboss-job-table.ts).
 *
 * A killed process's running jobs stay active until expireInSeconds, then
 * pg-boss's maintenance moves them to retry. pg-boss 10 has no heartbeat,
 * so a run that merely outlives expireInSeconds is handed out again too:
 * each run holds its deal's advisory lock (create-deal-locks.ts), and a
 * job that finds it taken waits for the run to end.
 */
export function createPgBossQueue(options: PgBossQueueOptions): JobQueue {
  const settings = resolveSettings(options);
  const log = options.log.child({ queue: "pg-boss" });
  let connecting: Promise<Connection> | null = null;
  const workerIds: string[] = [];

  function connect(): Promise<Connection> {
    connecting ??= openConnection(options, settings, log).catch((err) => {
      connecting = null;
      throw err;
    });
    return connecting;
  }

  function notifyWorkers(boss: PgBoss) {
    for (const id of workerIds) boss.notifyWorker(id);
  }

  return {
    async enqueue(dealId, enqueue) {
      const { boss, table } = await connect();
      const data: SyncJobData = {
        dealId,
        trigger: enqueue.trigger,
        ...(enqueue.reqId === undefined ? {} : { reqId: enqueue.reqId }),
      };
      const when = enqueue.priority ? "manual" : "debounced";
      await sendSyncJob({ boss, table, settings, data, when });
      if (enqueue.priority) notifyWorkers(boss);
    },

    async start(handler) {
      const { boss, table, locks } = await connect();
      const run = createPgBossJobRunner({
        boss,
        table,
        locks,
        queue: settings.queue,
        holdSeconds: settings.expireInSeconds,
        log,
        handler,
      });
      for (let i = 0; i < settings.concurrency; i++) {
        const slot = { id: "" };
        slot.id = await boss.work<SyncJobData>(
          settings.queue,
          {
            includeMetadata: true,
            batchSize: 1,
            pollingIntervalSeconds: settings.pollSeconds,
          },
          async ([job]) => {
            if (job) await run(job);
            // Fetch again at once while there is work, not after a poll.
            if (slot.id) boss.notifyWorker(slot.id);
          },
        );
        workerIds.push(slot.id);
      }
    },

    async stop() {
      const current = connecting;
      connecting = null;
      workerIds.length = 0;
      const connection = await current?.catch(() => null);
      if (!connection) return;
      const { boss, locks } = connection;
      // Graceful: waits for running handlers, then closes the pool.
      await boss.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
      await locks.close();
    },

    isPending: async (dealId) => (await connect()).table.isPending(dealId),
    counts: async () => (await connect()).table.counts(),
    failed: async () => (await connect()).table.listFailed(),

    async retryFailed() {
      const { boss, table } = await connect();
      const failed = await table.listFailed();
      for (const [dealId, ids] of groupIdsByDeal(failed)) {
        // A fresh job gets the full retry budget (pg-boss's retry() would
        // allow one more attempt and trips over stately's one-per-state rule
        // when a deal has two failed jobs).
        const data: SyncJobData = { dealId, trigger: "retry" };
        await sendSyncJob({ boss, table, settings, data, when: "now" });
        await boss.deleteJob(settings.queue, ids);
      }
      if (failed.length > 0) notifyWorkers(boss);
      return failed.length;
    },
  };
}

/** pg-boss's own pool: it fetches and settles jobs, nothing more. */
const PGBOSS_POOL_MAX = 4;

interface Settings extends PgBossJobSettings {
  schema: string;
  concurrency: number;
  pollSeconds: number;
  maintenanceIntervalSeconds: number;
}

function resolveSettings(options: PgBossQueueOptions): Settings {
  const backoffBaseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  return {
    queue: options.queueName ?? DEFAULT_QUEUE_NAME,
    schema: options.schema ?? DEFAULT_PGBOSS_SCHEMA,
    debounceSeconds: (options.debounceMs ?? DEFAULT_DEBOUNCE_MS) / 1000,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    retryLimit: (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) - 1,
    retryDelaySeconds: Math.max(1, Math.ceil(backoffBaseMs / 1000)),
    pollSeconds: Math.max(0.5, (options.pollMs ?? DEFAULT_POLL_MS) / 1000),
    expireInSeconds: options.expireInSeconds ?? DEFAULT_EXPIRE_IN_SECONDS,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
  };
}

interface Connection {
  boss: PgBoss;
  table: PgBossJobTable;
  locks: DealLocks;
}

async function openConnection(
  options: PgBossQueueOptions,
  settings: Settings,
  log: Logger,
): Promise<Connection> {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: settings.schema,
    // No cron schedules here; the clock-skew monitor belongs to them.
    schedule: false,
    // Fetching, completing and maintenance; the runs' own database work goes
    // through amo1c's pool (docs/deploy.md counts an instance's connections).
    max: PGBOSS_POOL_MAX,
    maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds,
    archiveCompletedAfterSeconds: COMPLETED_KEPT_SECONDS,
    archiveFailedAfterSeconds: FAILED_KEPT_SECONDS,
  });
  boss.on("error", (err) => log.error({ err }, "pg-boss reported an error"));
  await boss.start();

  const queue = {
    name: settings.queue,
    policy: "stately" as const,
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: settings.expireInSeconds,
  };
  // pg-boss 10's create_queue deadlocks when two processes create one queue
  // at once (seen as "deadlock detected" when two instances start on a
  // fresh database), so instances take turns.
  await withAdvisoryLock(
    options.connectionString,
    `${settings.schema}.${settings.queue}.create`,
    async () => {
      await boss.createQueue(settings.queue, queue);
      // createQueue keeps an existing queue as it was: bring it up to date.
      await boss.updateQueue(settings.queue, queue);
    },
  );

  const table = createPgBossJobTable(
    boss.getDb(),
    settings.schema,
    settings.queue,
  );
  const locks = createQueueDealLocks({
    connectionString: options.connectionString,
    schema: settings.schema,
    queueName: settings.queue,
    // One per worker, and two for runs cut off by pg-boss's expiry that go
    // on beside the new ones; more would only wait for a connection.
    maxConnections: settings.concurrency + 2,
    log,
  });
  return { boss, table, locks };
}

export interface QueueDealLocksOptions {
  connectionString: string;
  log: Logger;
  maxConnections: number;
  schema?: string | undefined;
  queueName?: string | undefined;
}

/** The per-deal locks the queue's runs hold; `amo1c sync` takes the same. */
export function createQueueDealLocks(
  options: QueueDealLocksOptions,
): DealLocks {
  const schema = options.schema ?? DEFAULT_PGBOSS_SCHEMA;
  const queue = options.queueName ?? DEFAULT_QUEUE_NAME;
  return createDealLocks({
    connectionString: options.connectionString,
    namespace: `${schema}.${queue}`,
    maxConnections: options.maxConnections,
    log: options.log,
  });
}

function groupIdsByDeal(jobs: FailedJob[]): Map<number, string[]> {
  const byDeal = new Map<number, string[]>();
  for (const job of jobs) {
    byDeal.set(job.dealId, [...(byDeal.get(job.dealId) ?? []), job.id]);
  }
  return byDeal;
}
