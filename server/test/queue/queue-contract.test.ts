import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import pg from "pg";
import { afterAll, describe } from "vitest";

import {
  createDatabase,
  type DatabaseHandle,
} from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createPgBossQueue } from "../../src/queue/create-pgboss-queue.js";
import { createSqliteQueue } from "../../src/queue/create-sqlite-queue.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { captureLog } from "../helpers/capture-log.js";
import { postgresAvailable, TEST_DATABASE_URL } from "../helpers/postgres.js";
import {
  describeQueueContract,
  type ContractQueueOptions,
  type QueueStore,
} from "./describe-queue-contract.js";

const { log } = captureLog("warn");

/** A temp SQLite file; each open() is a new connection, as after a restart. */
function createSqliteStore(): QueueStore {
  const dir = mkdtempSync(join(tmpdir(), "amo1c-queue-"));
  const file = join(dir, "amo1c.db");
  const opened: { queue: JobQueue; handle: DatabaseHandle }[] = [];

  return {
    async open(options: ContractQueueOptions = {}) {
      const handle = createDatabase({ kind: "sqlite", file });
      await migrateToLatest(handle.db);
      const queue = createSqliteQueue({
        db: handle.db,
        log,
        pollMs: 20,
        ...options,
      });
      opened.push({ queue, handle });
      return queue;
    },
    async dispose() {
      for (const { queue, handle } of opened) {
        await queue.stop();
        await handle.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeQueueContract({
  name: "SQLite",
  createStore: () => Promise.resolve(createSqliteStore()),
  backoffBaseMs: 100,
  minRetryGapMs: 50,
});

const pgReady = await postgresAvailable();
const schema = `pgboss_test_${randomBytes(4).toString("hex")}`;
let queueCount = 0;

/** One pg-boss queue name per test inside a schema of this file's own. */
function createPgBossStore(): QueueStore {
  const queueName = `contract-${++queueCount}`;
  const opened: JobQueue[] = [];
  return {
    open(options: ContractQueueOptions = {}) {
      const queue = createPgBossQueue({
        connectionString: TEST_DATABASE_URL,
        log,
        schema,
        queueName,
        pollMs: 500,
        ...options,
      });
      opened.push(queue);
      return Promise.resolve(queue);
    },
    async dispose() {
      for (const queue of opened) await queue.stop();
    },
  };
}

async function dropSchema(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists ${name} cascade`);
  await client.end();
}

describe.skipIf(!pgReady)("pg-boss", () => {
  afterAll(() => dropSchema(schema));

  describeQueueContract({
    name: "pg-boss",
    createStore: () => Promise.resolve(createPgBossStore()),
    // pg-boss counts retry delays in whole seconds; its first retry waits
    // 1–2 × the delay.
    backoffBaseMs: 1000,
    minRetryGapMs: 900,
  });
});
