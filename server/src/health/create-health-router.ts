import { Router, type Response } from "express";
import { sql, type Kysely } from "kysely";

import type { Database } from "../db/schema.js";
import {
  latestMigrationName,
  readSchemaState,
  schemaNewerError,
  type SchemaState,
} from "../db/migrate.js";

export interface HealthRouterOptions {
  db: Kysely<Database>;
  databaseKind: "sqlite" | "postgres";
}

/**
 * /healthz: the process answers. /readyz: the database answers and holds
 * exactly the migrations this build knows (a load balancer routes only then).
 * The versions come from the database, not from the build.
 */
export function createHealthRouter(options: HealthRouterOptions): Router {
  const router = Router();

  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  router.get("/readyz", async (_req, res) => {
    let state: SchemaState;
    try {
      await sql`select 1`.execute(options.db);
      state = await readSchemaState(options.db);
    } catch {
      res.status(503).json({
        status: "database_unreachable",
        database: options.databaseKind,
        schemaVersion: null,
        expectedSchemaVersion: latestMigrationName(),
      });
      return;
    }
    answerReadiness(res, options.databaseKind, state);
  });

  return router;
}

function answerReadiness(
  res: Response,
  database: HealthRouterOptions["databaseKind"],
  state: SchemaState,
): void {
  const versions = {
    database,
    schemaVersion: state.applied,
    expectedSchemaVersion: state.expected,
  };
  if (state.unknown.length > 0) {
    // A newer build migrated this database: this one must take no traffic.
    const error = schemaNewerError(state);
    res.status(503).json({
      status: "schema_newer",
      ...versions,
      error: { code: error.code, message: error.message },
    });
    return;
  }
  const ready = state.applied === state.expected;
  res
    .status(ready ? 200 : 503)
    .json({ status: ready ? "ready" : "migrations_pending", ...versions });
}
