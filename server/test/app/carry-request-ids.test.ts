import { randomBytes } from "node:crypto";

import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";

import { carryRequestIds } from "../../src/app/carry-request-ids.js";
import { runWithLogContext } from "../../src/observability/log-context.js";
import { createPgBossQueue } from "../../src/queue/create-pgboss-queue.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { captureLog } from "../helpers/capture-log.js";
import { postgresAvailable, TEST_DATABASE_URL } from "../helpers/postgres.js";
import { waitFor } from "../queue/describe-queue-contract.js";

const pgReady = await postgresAvailable();
const schema = `pgboss_test_${randomBytes(4).toString("hex")}`;

describe.skipIf(!pgReady)("request ids across pg-boss instances", () => {
  const opened: JobQueue[] = [];

  function openInstance() {
    const captured = captureLog("debug");
    const queue = createPgBossQueue({
      connectionString: TEST_DATABASE_URL,
      log: captured.log,
      schema,
      queueName: "request-ids",
      debounceMs: 0,
      pollMs: 500,
    });
    opened.push(queue);
    return { carrier: carryRequestIds(queue), captured };
  }

  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.stop();
  });

  afterAll(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  it("logs the queuing request's id on the instance that runs the job", async () => {
    const queuing = openInstance();
    const running = openInstance();
    const { log } = running.captured;
    await running.carrier.queue.start(
      running.carrier.wrap(async () => {
        log.info("deal sync done");
        return { kind: "done" };
      }),
    );

    await runWithLogContext({ reqId: "req-webhook-7" }, () =>
      queuing.carrier.queue.enqueue(7001, { trigger: "webhook" }),
    );
    const done = () =>
      running.captured.lines.find((l) => l["msg"] === "deal sync done");
    await waitFor(() => done() !== undefined, 15_000);

    expect(done()).toMatchObject({
      reqId: "req-webhook-7",
      dealId: 7001,
      jobId: expect.any(String) as unknown,
    });
  });
});
