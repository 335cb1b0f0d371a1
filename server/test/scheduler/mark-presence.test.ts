import { afterEach, describe, expect, test } from "vitest";

import { createLogger } from "../../src/log.js";
import { createScheduler } from "../../src/scheduler/create-scheduler.js";
import { createTempDatabase } from "../helpers/temp-database.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function presenceRows(db: Awaited<ReturnType<typeof open>>["db"]) {
  return db
    .selectFrom("locks")
    .select(["name", "holder", "expires_at"])
    .where("name", "like", "instance:%")
    .execute();
}

async function open() {
  const temp = await createTempDatabase();
  cleanups.push(() => temp.dispose());
  return temp;
}

describe("an instance's presence", () => {
  test("is marked while the scheduler runs and taken back on stop", async () => {
    const { db } = await open();
    const scheduler = createScheduler({
      db,
      log: createLogger({ level: "silent" }),
      holder: "instance-a",
      tasks: [],
      tickMs: 1_000,
    });

    const before = Date.now();
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const marked = await presenceRows(db);
    await scheduler.stop();

    expect(marked).toHaveLength(1);
    expect(marked[0]?.holder).toBe("instance-a");
    const expires = new Date(marked[0]?.expires_at ?? 0).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 3_000);
    expect(expires).toBeLessThan(before + 4_000);
    expect(await presenceRows(db)).toEqual([]);
  });
});
