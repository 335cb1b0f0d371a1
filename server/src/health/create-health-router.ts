import { Router } from "express";
import { sql, type Kysely } from "kysely";

import type { Database } from "../db/schema.js";
import { appliedSchemaVersion, latestMigrationName } from "../db/migrate.js";

export interface HealthRouterOptions {
  db: Kysely<Database>;
  databaseKind: "sqlite" | "postgres";
}

/**
 * /healthz: the process answers. /readyz: the database answers and has
 * every migration this build knows (a load balancer routes only then).
 */
export function createHealthRouter(options: HealthRouterOptions): Router {
  const router = Router();

  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  router.get("/readyz", async (_req, res) => {
    const expected = latestMigrationName();
    try {
      await sql`select 1`.execute(options.db);
      const applied = await appliedSchemaVersion(options.db);
      const ready = applied === expected;
      res.status(ready ? 200 : 503).json({
        status: ready ? "ready" : "migrations_pending",
        database: options.databaseKind,
        schemaVersion: applied,
        expectedSchemaVersion: expected,
      });
    } catch {
      res.status(503).json({
        status: "database_unreachable",
        database: options.databaseKind,
        schemaVersion: null,
        expectedSchemaVersion: expected,
      });
    }
  });

  return router;
}
