import { afterAll, beforeAll, describe, expect, test } from "vitest";

import {
  createDatabase,
  type DatabaseHandle,
} from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { acquireLease } from "../../src/scheduler/acquire-lease.js";
import {
  createScratchDatabase,
  postgresAvailable,
} from "../helpers/postgres.js";
import { createTempDatabase } from "../helpers/temp-database.js";

const pgReady = await postgresAvailable();

describe.each(["sqlite", "postgres"] as const)("lease on %s", (kind) => {
  const skip = kind === "postgres" && !pgReady;
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    if (skip) return;
    if (kind === "sqlite") {
      const temp = await createTempDatabase();
      handle = temp;
      dispose = temp.dispose;
    } else {
      const scratch = await createScratchDatabase();
      handle = createDatabase({ kind: "postgres", url: scratch.url });
      await migrateToLatest(handle.db);
      dispose = async () => {
        await handle.close();
        await scratch.drop();
      };
    }
  });
  afterAll(async () => {
    if (!skip) await dispose();
  });

  test.skipIf(skip)(
    "one of many concurrent holders wins a period; the next period is free again",
    async () => {
      const t0 = new Date("2026-12-03T10:00:00Z");
      const attempts = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          acquireLease(handle.db, {
            name: "task:x",
            holder: `i${i}`,
            ttlMs: 60_000,
            now: t0,
          }),
        ),
      );
      expect(attempts.filter(Boolean)).toHaveLength(1);

      const later = new Date(t0.getTime() + 30_000);
      const winner = `i${attempts.indexOf(true)}`;
      expect(
        await acquireLease(handle.db, {
          name: "task:x",
          holder: winner,
          ttlMs: 60_000,
          now: later,
        }),
      ).toBe(false);
      expect(
        await acquireLease(handle.db, {
          name: "task:x",
          holder: "other",
          ttlMs: 60_000,
          now: later,
        }),
      ).toBe(false);

      const nextPeriod = new Date(t0.getTime() + 61_000);
      expect(
        await acquireLease(handle.db, {
          name: "task:x",
          holder: "other",
          ttlMs: 60_000,
          now: nextPeriod,
        }),
      ).toBe(true);
    },
  );
});
