import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";

import type { Config } from "../config/load-config.js";
import { cacheStatements } from "./cache-statements.js";
import type { Database } from "./schema.js";
import { TransactionalSqliteDialect } from "./transactional-sqlite-dialect.js";

// int8 columns come back from node-postgres as strings; amoCRM ids and
// counts fit in a double, so read them as numbers on both dialects.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** How long a new PostgreSQL connection may take before the call fails. */
export const PG_CONNECT_TIMEOUT_MS = 5000;
/** Connections of the main pool (docs/deploy.md counts an instance's). */
export const PG_POOL_MAX = 8;

export type DatabaseConfig = Config["database"];

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseConfig["kind"];
  /** The connection string, for components with their own pool (pg-boss). */
  url: string;
  close(): Promise<void>;
}

export function createDatabase(config: DatabaseConfig): DatabaseHandle {
  if (config.kind === "postgres") {
    const pool = new pg.Pool({
      connectionString: config.url,
      // Queries are short; the queue's locks and pg-boss have pools of their
      // own, and all of them count against PostgreSQL's max_connections.
      max: PG_POOL_MAX,
      // A server that accepts TCP but never answers (a stuck proxy, a full
      // backlog) would otherwise hold /readyz and the start forever.
      connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    });
    // An idle connection the server ends (a restart, a terminated backend)
    // is dropped by the pool and replaced; without a listener node-postgres
    // would throw it as an uncaught error and end the process.
    pool.on("error", () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: "postgres", url: config.url, close: () => db.destroy() };
  }

  if (config.file !== ":memory:")
    mkdirSync(dirname(config.file), { recursive: true });
  const sqlite = new SqliteDatabase(config.file);
  // WAL lets the widget API read while a sync writes; busy_timeout makes a
  // second connection wait for the lock instead of failing at once.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  // With WAL, NORMAL is safe against a crash of amo1c; only a power cut can
  // drop the last commits, and the reconciliation pass re-reads those deals.
  // FULL would flush on every write, on the event loop (docs/performance.md).
  sqlite.pragma("synchronous = NORMAL");
  const db = new Kysely<Database>({
    dialect: new TransactionalSqliteDialect({
      database: cacheStatements(sqlite),
    }),
  });
  return { db, kind: "sqlite", url: config.file, close: () => db.destroy() };
}
