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
