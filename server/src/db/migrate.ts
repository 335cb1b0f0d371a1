import {
  Migrator,
  PostgresAdapter,
  sql,
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
  "0002-job-request-ids": migrations.m0002JobRequestIds,
};

/** Kysely's default bookkeeping table: existing databases already have it. */
const MIGRATION_TABLE = "kysely_migration";

export interface MigrationReport {
  applied: string[];
  version: string;
}

export interface MigrateOptions {
  /** The migrations to apply; tests pass their own list. */
  migrations?: Record<string, Migration> | undefined;
}

/**
 * Applies the pending migrations one at a time, each in its own transaction
 * (on SQLite too, see transactional-sqlite-dialect.ts): one that fails
 * half-way leaves the database at the previous version.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  const known = options.migrations ?? MIGRATIONS;
  await refuseNewerSchema(db, known);
  const migrator = new Migrator({
    db,
    provider: providerOf(known),
    ...(await bookkeepingSchema(db)),
  });
  const applied: string[] = [];

  for (;;) {
    const { error, results = [] } = await migrator.migrateUp();
    if (error) throw migrationFailed(error, results);
    const done = results.filter((r) => r.status === "Success");
    if (done.length === 0) break;
    applied.push(...done.map((r) => r.migrationName));
  }

  return { applied, version: latestMigrationName(known) };
}

/**
 * Kysely's migrator decides whether its tables exist by looking through every
 * schema of a PostgreSQL database, so a kysely_migration table of another
 * schema (another app, or amo1c under another search_path) would make it skip
 * creating its own. Naming the schema amo1c works in keeps it to that one.
 */
async function bookkeepingSchema(
  db: Kysely<Database>,
): Promise<{ migrationTableSchema?: string }> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return {};
  const { rows } = await sql<{ schema: string }>`
    select current_schema() as schema
  `.execute(db);
  const schema = rows[0]?.schema;
  return schema ? { migrationTableSchema: schema } : {};
}

function providerOf(known: Record<string, Migration>): MigrationProvider {
  return { getMigrations: () => Promise.resolve(known) };
}

function migrationFailed(
  error: unknown,
  results: { migrationName: string; status: string }[],
): AppError {
  const failed = results.find((r) => r.status === "Error")?.migrationName;
  if (failed === undefined) {
    return new AppError(
      "db_unavailable",
      "Cannot prepare the database (check DATABASE_URL: host, user, password and database name; percent-encode special characters in the password)",
      { cause: error },
    );
  }
  return new AppError(
    "db_unavailable",
    `Database migration ${failed} failed and was rolled back; the schema is unchanged`,
    { cause: error },
  );
}

/** Name of the newest migration the program knows: the target schema version. */
export function latestMigrationName(
  known: Record<string, Migration> = MIGRATIONS,
): string {
  return Object.keys(known).sort().at(-1) ?? "none";
}

export interface SchemaState {
  /** The newest migration applied in this database, or null before any. */
  applied: string | null;
  /** The newest migration this build knows. */
  expected: string;
  /** Applied migrations this build does not know: a newer amo1c ran them. */
  unknown: string[];
}

/** What the database itself holds, read from the bookkeeping table. */
export async function readSchemaState(
  db: Kysely<Database>,
  known: Record<string, Migration> = MIGRATIONS,
): Promise<SchemaState> {
  const names = await readAppliedNames(db);
  return {
    applied: names.sort().at(-1) ?? null,
    expected: latestMigrationName(known),
    unknown: names.filter((name) => !(name in known)),
  };
}

/** The newest migration applied in this database, or null before any. */
export async function appliedSchemaVersion(
  db: Kysely<Database>,
): Promise<string | null> {
  return (await readSchemaState(db)).applied;
}

async function readAppliedNames(db: Kysely<Database>): Promise<string[]> {
  try {
    const { rows } = await sql<{ name: string }>`
      select name from ${sql.table(MIGRATION_TABLE)}
    `.execute(db);
    return rows.map((r) => r.name);
  } catch (error) {
    // Before the first migration the table does not exist yet; any other
    // failure (the database is down) is the caller's to report.
    if (isMissingTable(error)) return [];
    throw error;
  }
}

/** SQLite says "no such table"; PostgreSQL answers SQLSTATE 42P01. */
function isMissingTable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === "42P01" || /no such table/i.test(error.message);
}

/**
 * An older build must not write to a schema a newer one migrated: it would
 * run with columns and rules it does not know. Say so plainly, with the way
 * back (docs/deploy.md, "Upgrades and rollback").
 */
async function refuseNewerSchema(
  db: Kysely<Database>,
  known: Record<string, Migration>,
): Promise<void> {
  const state = await readSchemaState(db, known);
  if (state.unknown.length === 0) return;
  throw schemaNewerError(state);
}

export function schemaNewerError(state: SchemaState): AppError {
  return new AppError(
    "schema_newer",
    `The database was migrated by a newer amo1c (schema ${state.applied ?? "unknown"}; this build knows up to ${state.expected}). Start the newer build again, or roll back to this one with the backup taken before the upgrade (docs/deploy.md, "Upgrades and rollback")`,
    { status: 503 },
  );
}
