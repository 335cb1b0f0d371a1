import { afterEach, describe, expect, it } from "vitest";

import type { Amo1c } from "../../src/app/create-amo1c.js";
import { syncDealNow } from "../../src/cli/sync-deal-now.js";
import {
  createDatabase,
  type DatabaseHandle,
} from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createLogger } from "../../src/log.js";
import { createQueueDealLocks } from "../../src/queue/create-pgboss-queue.js";
import type { SyncJob } from "../../src/queue/job-queue.js";
import {
  createScratchDatabase,
  postgresAvailable,
} from "../helpers/postgres.js";
import { createTempDatabase } from "../helpers/temp-database.js";
import { captureIo } from "./capture-io.js";
import { insertRunningJob } from "./insert-running-job.js";

const DEAL_ID = 4242;
const log = createLogger({ level: "silent" });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** amo1c as the command sees it, with a handler that records its runs. */
function fakeAmo1c(database: DatabaseHandle) {
  const runs: SyncJob[] = [];
  const amo1c: Pick<Amo1c, "handleJob" | "database"> = {
    database,
    handleJob: (job) => {
      runs.push(job);
      return Promise.resolve({ kind: "done" });
    },
  };
  return { amo1c, runs };
}

describe("amo1c sync on SQLite", () => {
  async function open() {
    const temp = await createTempDatabase();
    cleanups.push(() => temp.dispose());
    return temp;
  }

  it("refuses while the server runs a job of the deal", async () => {
    const database = await open();
    await insertRunningJob(database.db, DEAL_ID);
    const { amo1c, runs } = fakeAmo1c(database);
    const io = captureIo();

    const code = await syncDealNow(amo1c, DEAL_ID, io, { log });

    expect(code).toBe(1);
    expect(runs).toEqual([]);
    expect(io.errors).toEqual([
      "deal 4242 is being synced by the server right now; try again in a moment",
    ]);
  });

  it("runs while the server runs only other deals", async () => {
    const database = await open();
    await insertRunningJob(database.db, DEAL_ID + 1);
    const { amo1c, runs } = fakeAmo1c(database);

    const code = await syncDealNow(amo1c, DEAL_ID, captureIo(), { log });

    expect(code).toBe(0);
    expect(runs).toMatchObject([{ dealId: DEAL_ID, trigger: "manual" }]);
  });
});

describe("amo1c sync on PostgreSQL", () => {
  async function open(ctx: { skip(): void }) {
    if (!(await postgresAvailable())) return ctx.skip();
    const scratch = await createScratchDatabase();
    const database = createDatabase({ kind: "postgres", url: scratch.url });
    cleanups.push(async () => {
      await database.close();
      await scratch.drop();
    });
    await migrateToLatest(database.db);
    // The locks a server's pg-boss workers hold around their runs.
    const workers = createQueueDealLocks({
      connectionString: scratch.url,
      log,
      maxConnections: 2,
    });
    cleanups.push(() => workers.close());
    return { database, workers };
  }

  it("holds the workers' lock on the deal while it runs", async (ctx) => {
    const { database, workers } = (await open(ctx))!;
    const { amo1c } = fakeAmo1c(database);
    let workerGotLock: boolean | null = null;
    amo1c.handleJob = async () => {
      const lock = await workers.tryLock(DEAL_ID);
      workerGotLock = lock !== null;
      await lock?.release();
      return { kind: "done" };
    };

    expect(await syncDealNow(amo1c, DEAL_ID, captureIo(), { log })).toBe(0);

    expect(workerGotLock).toBe(false);
    const after = await workers.tryLock(DEAL_ID);
    expect(after).not.toBeNull();
    await after?.release();
  });

  it("waits for a run elsewhere to end, then runs", async (ctx) => {
    const { database, workers } = (await open(ctx))!;
    const running = await workers.tryLock(DEAL_ID);
    setTimeout(() => void running?.release(), 300);
    const { amo1c, runs } = fakeAmo1c(database);
    const io = captureIo();

    const code = await syncDealNow(amo1c, DEAL_ID, io, {
      log,
      lockWaitMs: 5000,
      lockPollMs: 50,
    });

    expect(code).toBe(0);
    expect(runs).toHaveLength(1);
    expect(io.lines[0]).toBe(
      "deal 4242 is being synced by an amo1c instance; waiting up to 5 s for it to finish",
    );
  });

  it("gives up with a clear message when the run elsewhere goes on", async (ctx) => {
    const { database, workers } = (await open(ctx))!;
    const running = await workers.tryLock(DEAL_ID);
    cleanups.push(async () => running?.release());
    const { amo1c, runs } = fakeAmo1c(database);
    const io = captureIo();

    const code = await syncDealNow(amo1c, DEAL_ID, io, {
      log,
      lockWaitMs: 200,
      lockPollMs: 50,
    });

    expect(code).toBe(1);
    expect(runs).toEqual([]);
    expect(io.errors).toEqual([
      "deal 4242 is still being synced by an amo1c instance; try again later",
    ]);
  });
});
