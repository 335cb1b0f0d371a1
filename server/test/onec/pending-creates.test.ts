import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createDatabase,
  type DatabaseHandle,
} from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createPendingCreates } from "../../src/onec/pending-creates.js";
import {
  createScratchDatabase,
  postgresAvailable,
  TEST_DATABASE_URL,
} from "../helpers/postgres.js";
import { createTempDatabase } from "../helpers/temp-database.js";

const SET = "Catalog_Контрагенты";
const FIRST = "0e000000-0000-4000-8000-000000000001";
const SECOND = "0e000000-0000-4000-8000-000000000002";

function describePendingCreates(
  open: () => Promise<{ handle: DatabaseHandle; dispose(): Promise<void> }>,
) {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ handle, dispose } = await open());
  });
  afterAll(() => dispose());

  it("keeps the first key chosen for a purpose until it is released", async () => {
    const pending = createPendingCreates(handle.db);

    const first = await pending.claim("deal:1:order", SET, FIRST);
    const retry = await pending.claim("deal:1:order", SET, SECOND);
    await pending.release("deal:1:order");
    const fresh = await pending.claim("deal:1:order", SET, SECOND);

    expect(first).toEqual({ refKey: FIRST, earlier: false });
    expect(retry).toEqual({ refKey: FIRST, earlier: true });
    expect(fresh).toEqual({ refKey: SECOND, earlier: false });
    expect(await pending.find("deal:1:order")).toEqual({
      refKey: SECOND,
      entitySet: SET,
    });
  });

  it("gives concurrent claims for one purpose the same key", async () => {
    const pending = createPendingCreates(handle.db);
    const keys = Array.from(
      { length: 10 },
      (_, i) => `0e000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );

    const claims = await Promise.all(
      keys.map((key) => pending.claim("deal:2:order", SET, key)),
    );

    expect(new Set(claims.map((c) => c.refKey)).size).toBe(1);
  });

  it("starts afresh when a purpose is reused for another entity set", async () => {
    const pending = createPendingCreates(handle.db);
    await pending.claim("deal:3", SET, FIRST);

    expect(await pending.claim("deal:3", "Catalog_Партнеры", SECOND)).toEqual({
      refKey: SECOND,
      earlier: false,
    });
  });
}

describe("pending creates on SQLite", () => {
  describePendingCreates(async () => {
    const database = await createTempDatabase();
    return { handle: database, dispose: () => database.dispose() };
  });
});

describe.runIf(await postgresAvailable())(
  "pending creates on PostgreSQL",
  () => {
    describePendingCreates(async () => {
      const scratch = await createScratchDatabase();
      const handle = createDatabase({ kind: "postgres", url: scratch.url });
      await migrateToLatest(handle.db);
      return {
        handle,
        async dispose() {
          await handle.close();
          await waitForDisconnect(scratch.url);
          await scratch.drop();
        },
      };
    });
  },
);

/**
 * The pool's connections close in the background after it ends; dropping
 * the database while one is still closing makes the server kill it, which
 * surfaces as an unhandled error.
 */
async function waitForDisconnect(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const { rows } = await admin.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = $1",
        [name],
      );
      if (rows[0]?.n === 0) return;
      await sleep(20);
    }
  } finally {
    await admin.end();
  }
}
