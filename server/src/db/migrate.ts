import {
  Migrator,
  type Kysely,
  type Migration,
  type MigrationProvider,
} from "kysely";

import { AppError } from "../errors.js";
import * as migrations from "./migrations/index.js";
import type { Database } from "./schema.js";

/**
 * Migrations are compiled into the program (not read from a folder) so the
 * same list runs under tsx, from a build and inside a container. Names sort
 * in the order they were written; they are forward-only.
 */
const MIGRATIONS: Record<string, Migration> = {
  "0001-initial": migrations.m0001Initial,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};

export interface MigrationReport {
  applied: string[];
  version: string;
}

export async function migrateToLatest(
  db: Kysely<Database>,
): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } = await migrator.migrateToLatest();

  if (error) {
    throw new AppError(
      "db_unavailable",
      "Cannot prepare the database (check DATABASE_URL: host, user, password and database name; percent-encode special characters in the password)",
      {
        cause: error,
      },
    );
  }

  return {
    applied: results
      .filter((r) => r.status === "Success")
      .map((r) => r.migrationName),
    version: latestMigrationName(),
  };
}

/** Name of the newest migration the program knows: the target schema version. */
export function latestMigrationName(): string {
  return Object.keys(MIGRATIONS).sort().at(-1) ?? "none";
}

/** The newest migration applied in this database, or null before any. */
export async function appliedSchemaVersion(
  db: Kysely<Database>,
): Promise<string | null> {
  const applied = await new Migrator({ db, provider }).getMigrations();
  return (
    applied
      .filter((m) => m.executedAt !== undefined)
      .map((m) => m.name)
      .sort()
      .at(-1) ?? null
  );
}
