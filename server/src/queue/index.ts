export * from "./job-queue.js";
export {
  createSqliteQueue,
  type SqliteQueueOptions,
} from "./create-sqlite-queue.js";
export {
  createPgBossQueue,
  type PgBossQueueOptions,
} from "./create-pgboss-queue.js";
