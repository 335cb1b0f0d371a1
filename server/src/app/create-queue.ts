import type { DatabaseHandle } from "../db/create-database.js";
import type { Logger } from "../log.js";
import { createPgBossQueue } from "../queue/create-pgboss-queue.js";
import { createSqliteQueue } from "../queue/create-sqlite-queue.js";
import type { JobQueue } from "../queue/job-queue.js";

export interface QueueTuning {
  debounceMs?: number | undefined;
  concurrency?: number | undefined;
  maxAttempts?: number | undefined;
  backoffBaseMs?: number | undefined;
  pollMs?: number | undefined;
  /** PostgreSQL: a running job older than this is presumed lost and retried. */
  expireInSeconds?: number | undefined;
  /** PostgreSQL: how often one instance looks for such jobs. */
  maintenanceIntervalSeconds?: number | undefined;
}

/** pg-boss's default sweep for lost jobs, and its floor. */
const MAX_MAINTENANCE_INTERVAL_SECONDS = 60;
const MIN_MAINTENANCE_INTERVAL_SECONDS = 1;

/**
 * The job timeout and a sweep a quarter as long, so a job of a killed
 * process comes back within about 1.25 timeouts.
 */
export function jobTimeoutTuning(timeoutSeconds: number): QueueTuning {
  const sweep = Math.round(timeoutSeconds / 4);
  return {
    expireInSeconds: timeoutSeconds,
    maintenanceIntervalSeconds: Math.min(
      MAX_MAINTENANCE_INTERVAL_SECONDS,
      Math.max(MIN_MAINTENANCE_INTERVAL_SECONDS, sweep),
    ),
  };
}

/** How many times a transient failure is retried before the job fails. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** SQLite: a jobs table in the same file; PostgreSQL: pg-boss, shared by instances. */
export function createQueue(
  database: DatabaseHandle,
  log: Logger,
  tuning: QueueTuning,
): JobQueue {
  const common = { log: log.child({ name: "queue" }), ...tuning };
  return database.kind === "postgres"
    ? createPgBossQueue({ connectionString: database.url, ...common })
    : createSqliteQueue({ db: database.db, ...common });
}
