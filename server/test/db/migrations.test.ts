import { sql, type Kysely, type Migration } from "kysely";
import { afterEach, describe, expect, test } from "vitest";

import {
  createDatabase,
  type DatabaseHandle,
} from "../../src/db/create-database.js";
import {
  latestMigrationName,
  migrateToLatest,
  readSchemaState,
} from "../../src/db/migrate.js";
import * as migrations from "../../src/db/migrations/index.js";
import type { Database } from "../../src/db/schema.js";
import {
  createScratchDatabase,
  postgresAvailable,
} from "../helpers/postgres.js";
import { createTempDatabase } from "../helpers/temp-database.js";

const pgReady = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh, empty database (no migration applied yet). */
type Open = () => Promise<DatabaseHandle>;

const openSqlite: Open = async () => {
  const temp = await createTempDatabase();
  cleanups.push(() => temp.dispose());
  // createTempDatabase migrates; start over on a sibling file instead.
  const handle = createDatabase({
    kind: "sqlite",
    file: temp.file.replace(/amo1c\.db$/, "empty.db"),
  });
  cleanups.push(() => handle.close());
  return handle;
};

const openPostgres: Open = async () => {
  const scratch = await createScratchDatabase();
  const handle = createDatabase({ kind: "postgres", url: scratch.url });
  cleanups.push(async () => {
    await handle.close();
    await scratch.drop();
  });
  return handle;
};

/** The migrations this build ships, in order. */
const SHIPPED: Record<string, Migration> = {
  "0001-initial": migrations.m0001Initial,
  "0002-job-request-ids": migrations.m0002JobRequestIds,
};

/** Creates a table, writes a row, then fails: the second step of a bad release. */
const halfWay: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("half_done")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .execute();
    await sql`insert into half_done (id) values (1)`.execute(db);
    await db.schema.alterTable("settings").addColumn("extra", "text").execute();
    throw new Error("the migration broke after its first statements");
  },
};

async function tableNames(db: Kysely<Database>): Promise<string[]> {
  return (await db.introspection.getTables()).map((t) => t.name);
}

async function columnsOf(db: Kysely<Database>, table: string) {
  const found = (await db.introspection.getTables()).find(
    (t) => t.name === table,
  );
  return found?.columns.map((c) => c.name) ?? [];
}

describe.each([
  { name: "SQLite", open: openSqlite, skip: false },
  { name: "PostgreSQL", open: openPostgres, skip: !pgReady },
])("migrations on $name", ({ open, skip }) => {
  test.skipIf(skip)(
    "a migration that fails half-way leaves no trace",
    async () => {
      const { db } = await open();
      const list = { ...SHIPPED, "9000-half-way": halfWay };

      await expect(migrateToLatest(db, { migrations: list })).rejects.toThrow(
        "Database migration 9000-half-way failed and was rolled back",
      );

      expect(await tableNames(db)).not.toContain("half_done");
      expect(await columnsOf(db, "settings")).not.toContain("extra");
      // The migration before it ran in a transaction of its own and stays.
      expect(await readSchemaState(db, list)).toEqual({
        applied: latestMigrationName(),
        expected: "9000-half-way",
        unknown: [],
      });
      expect(await migrateToLatest(db)).toEqual({
        applied: [],
        version: latestMigrationName(),
      });
    },
  );

  test.skipIf(skip)(
    "refuses a database a newer build migrated, saying how to roll back",
    async () => {
      const { db } = await open();
      await migrateToLatest(db);
      await sql`insert into kysely_migration (name, timestamp)
        values ('9999-future', ${new Date().toISOString()})`.execute(db);

      expect(await readSchemaState(db)).toEqual({
        applied: "9999-future",
        expected: latestMigrationName(),
        unknown: ["9999-future"],
      });
      const refused = migrateToLatest(db);
      await expect(refused).rejects.toMatchObject({
        code: "schema_newer",
        message: expect.stringMatching(
          new RegExp(
            `migrated by a newer amo1c \\(schema 9999-future; this build knows up to ${latestMigrationName()}\\).*roll back.*docs/deploy\\.md`,
          ),
        ) as unknown,
      });
    },
  );
});

describe("migrations on PostgreSQL beside another schema", () => {
  test.skipIf(!pgReady)(
    "migrate the search_path schema when another schema already holds Kysely's tables",
    async () => {
      const scratch = await createScratchDatabase();
      const inSchema = (schema: string) => {
        const url = new URL(scratch.url);
        url.searchParams.set("options", `-c search_path=${schema}`);
        return createDatabase({ kind: "postgres", url: url.toString() });
      };
      const first = createDatabase({ kind: "postgres", url: scratch.url });
      cleanups.push(async () => {
        await first.close();
        await scratch.drop();
      });
      await migrateToLatest(first.db);
      await sql`create schema second`.execute(first.db);

      const second = inSchema("second");
      cleanups.push(() => second.close());
      await migrateToLatest(second.db);

      const tables = await second.db.introspection.getTables({
        withInternalKyselyTables: true,
      });
      const inSecond = tables.filter((t) => t.schema === "second");
      expect(inSecond.map((t) => t.name)).toContain("kysely_migration");
      expect(inSecond.map((t) => t.name)).toContain("deal_state");
      expect((await readSchemaState(second.db)).applied).toBe(
        latestMigrationName(),
      );
    },
  );
});
