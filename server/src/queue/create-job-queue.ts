import type { DatabaseHandle } from "../db/create-database.js";
import type { Logger } from "../log.js";
import { createPgBossQueue } from "./create-pgboss-queue.js";
import { createSqliteQueue } from "./create-sqlite-queue.js";
import type { JobQueue } from "./job-queue.js";

export interface CreateJobQueueOptions {
  database: DatabaseHandle;
  log: Logger;
  debounceMs?: number | undefined;
  concurrency?: number | undefined;
  maxAttempts?: number | undefined;
}

/**
 * The queue that fits the database: pg-boss beside PostgreSQL (several
 * instances may share it), the `jobs` table inside a SQLite file.
 */
export function createJobQueue(options: CreateJobQueueOptions): JobQueue {
  const { database, log, ...tuning } = options;
  if (database.kind === "postgres") {
    return createPgBossQueue({
      connectionString: database.url,
      log,
      ...tuning,
    });
  }
  return createSqliteQueue({ db: database.db, log, ...tuning });
}
