import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterEach, describe, expect, test, vi } from "vitest";

import { cacheStatements } from "../../src/db/cache-statements.js";

interface Db {
  deals: { id: number; name: string };
}

const opened: SqliteDatabase.Database[] = [];

function openSqlite(): SqliteDatabase.Database {
  const sqlite = new SqliteDatabase(":memory:");
  sqlite.exec(
    "create table deals (id integer primary key, name text not null)",
  );
  opened.push(sqlite);
  return sqlite;
}

afterEach(() => {
  for (const sqlite of opened.splice(0)) if (sqlite.open) sqlite.close();
});

describe("cacheStatements", () => {
  test("prepares each SQL text once and answers every call with its own values", async () => {
    const sqlite = openSqlite();
    const prepare = vi.spyOn(sqlite, "prepare");
    const db = new Kysely<Db>({
      dialect: new SqliteDialect({ database: cacheStatements(sqlite) }),
    });

    for (const [id, name] of [
      [1, "Поставка"],
      [2, "Supply"],
      [3, "Ремонт"],
    ] as const) {
      await db.insertInto("deals").values({ id, name }).execute();
    }
    const names = [];
    for (const id of [3, 1, 2]) {
      const row = await db
        .selectFrom("deals")
        .select("name")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      names.push(row.name);
    }

    expect(names).toEqual(["Ремонт", "Поставка", "Supply"]);
    // One insert and one select shape (Kysely's own statements aside).
    const texts = prepare.mock.calls.map(([sql]) => sql);
    expect(texts.filter((sql) => sql.startsWith("insert"))).toHaveLength(1);
    expect(texts.filter((sql) => sql.startsWith("select"))).toHaveLength(1);
    await db.destroy();
  });

  test("keeps transactions working: a rolled-back insert leaves nothing", async () => {
    const sqlite = openSqlite();
    const db = new Kysely<Db>({
      dialect: new SqliteDialect({ database: cacheStatements(sqlite) }),
    });

    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("deals").values({ id: 7, name: "a" }).execute();
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("deals").values({ id: 8, name: "b" }).execute();
    });

    const rows = await db.selectFrom("deals").select("id").execute();
    expect(rows).toEqual([{ id: 8 }]);
    await db.destroy();
  });

  test("holds at most max statements, dropping the least used", () => {
    const sqlite = openSqlite();
    const prepare = vi.spyOn(sqlite, "prepare");
    const cached = cacheStatements(sqlite, 2);

    cached.prepare("select 1");
    cached.prepare("select 2");
    cached.prepare("select 1");
    cached.prepare("select 3"); // evicts "select 2", the least recently used
    cached.prepare("select 1");
    cached.prepare("select 2");

    expect(prepare.mock.calls.map(([sql]) => sql)).toEqual([
      "select 1",
      "select 2",
      "select 3",
      "select 2",
    ]);
  });

  test("closes the database", () => {
    const sqlite = openSqlite();
    cacheStatements(sqlite).close();
    expect(sqlite.open).toBe(false);
  });
});
