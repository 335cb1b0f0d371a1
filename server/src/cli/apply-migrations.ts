import type { Config } from "../config/load-config.js";
import { createDatabase } from "../db/create-database.js";
import { migrateToLatest } from "../db/migrate.js";
import type { CliIo, ExitCode } from "./cli-io.js";

/**
 * `amo1c migrate`: brings the database to this build's schema. The server
 * does the same at start; this is for doing it ahead of a deploy.
 */
export async function applyMigrations(
  config: Pick<Config, "database">,
  io: CliIo,
): Promise<ExitCode> {
  const database = createDatabase(config.database);
  try {
    const report = await migrateToLatest(database.db);
    io.out(
      report.applied.length === 0
        ? "nothing to apply: the schema is up to date"
        : `applied: ${report.applied.join(", ")}`,
    );
    io.out(`schema version: ${report.version}`);
    return 0;
  } finally {
    await database.close();
  }
}
