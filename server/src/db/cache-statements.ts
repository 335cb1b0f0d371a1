import type { SqliteDatabase, SqliteStatement } from "kysely";
import { LRUCache } from "lru-cache";

/**
 * Enough for every query shape amo1c sends; `IN (...)` lists of varying
 * length make more shapes, and the least used ones are dropped.
 */
const DEFAULT_MAX_STATEMENTS = 200;

/**
 * Kysely's SQLite driver prepares every query anew, and preparing costs
 * more than running most of amo1c's point queries. Kysely compiles values
 * to parameters, so one SQL text is one statement, reused for every call.
 * better-sqlite3 runs a statement to completion before it returns (amo1c
 * never streams rows), so a cached statement is never busy when reused.
 */
export function cacheStatements(
  database: SqliteDatabase,
  max = DEFAULT_MAX_STATEMENTS,
): SqliteDatabase {
  const statements = new LRUCache<string, SqliteStatement>({ max });
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}
