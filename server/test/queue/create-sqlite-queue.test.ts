import { setTimeout as sleep } from "node:timers/promises";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createSqliteQueue } from "../../src/queue/create-sqlite-queue.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  createTempDatabase,
  type TempDatabase,
} from "../helpers/temp-database.js";
import {
  createGate,
  createRecorder,
  waitFor,
  waitForIdle,
} from "./describe-queue-contract.js";

describe("SQLite queue", () => {
  let temp: TempDatabase;
  let queue: JobQueue | undefined;
  const captured = captureLog("debug");

  beforeEach(async () => {
    temp = await createTempDatabase();
  });

  afterEach(async () => {
    await queue?.stop();
    await temp.dispose();
  });

  function jobs() {
    return temp.db.selectFrom("jobs").selectAll().orderBy("id").execute();
  }

  async function markRunning(attempts: number) {
    await temp.db
      .updateTable("jobs")
      .set({ status: "running", attempts })
      .execute();
  }

  it("puts a job left running by a crash back in the queue and runs it", async () => {
    const crashed = createSqliteQueue({ db: temp.db, log: captured.log });
    await crashed.enqueue(11, { trigger: "webhook" });
    await markRunning(1);

    queue = createSqliteQueue({ db: temp.db, log: captured.log, pollMs: 20 });
    const recorder = createRecorder();
    await queue.start(recorder.handler);
    await waitFor(() => recorder.runs.length === 1);
    await waitForIdle(queue);

    expect(recorder.runs).toMatchObject([{ dealId: 11, attempt: 2 }]);
    expect(captured.lines).toContainEqual(
      expect.objectContaining({
        msg: "jobs interrupted by a restart were put back",
        requeued: 1,
      }),
    );
  });

  it("fails a job that was interrupted during its last attempt", async () => {
    const crashed = createSqliteQueue({ db: temp.db, log: captured.log });
    await crashed.enqueue(12, { trigger: "webhook" });
    await markRunning(8);

    queue = createSqliteQueue({ db: temp.db, log: captured.log, pollMs: 20 });
    await queue.start(createRecorder().handler);

    expect(await queue.failed()).toMatchObject([
      {
        dealId: 12,
        attempts: 8,
        reason: expect.stringMatching(/^Interrupted 8 times/),
      },
    ]);
  });

  it("waits for the injected clock to pass the debounce window", async () => {
    let now = new Date("2026-03-01T10:00:00.000Z");
    queue = createSqliteQueue({
      db: temp.db,
      log: captured.log,
      pollMs: 10,
      now: () => now,
    });
    const recorder = createRecorder();
    await queue.start(recorder.handler);

    await queue.enqueue(13, { trigger: "webhook" });
    now = new Date(now.getTime() + 2999);
    await sleep(100);
    expect(recorder.runs).toHaveLength(0);

    now = new Date(now.getTime() + 1);
    await waitFor(() => recorder.runs.length === 1);
    expect(recorder.runs).toMatchObject([{ dealId: 13, trigger: "webhook" }]);
  });

  it("folds a retry into a job queued during the run and keeps the backoff", async () => {
    queue = createSqliteQueue({
      db: temp.db,
      log: captured.log,
      pollMs: 10,
      debounceMs: 10,
      backoffBaseMs: 400,
    });
    const started = queue;
    const recorder = createRecorder(async (job) => {
      if (job.attempt > 1) return { kind: "done" };
      await started.enqueue(14, { trigger: "webhook" });
      return { kind: "retry", reason: "1C answered 503" };
    });
    await queue.start(recorder.handler);

    await queue.enqueue(14, { trigger: "manual", priority: true });
    await waitFor(async () => (await jobs())[0]?.last_error != null);
    const [folded, ...others] = await jobs();
    expect(others).toEqual([]);
    expect(folded).toMatchObject({
      deal_id: 14,
      attempts: 1,
      last_error: "1C answered 503",
    });

    await waitFor(() => recorder.runs.length === 2);
    const [first, second] = recorder.runs;
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(200);
    expect(second).toMatchObject({ attempt: 2 });
  });

  it("waits for running jobs on stop and records their outcome", async () => {
    queue = createSqliteQueue({ db: temp.db, log: captured.log, pollMs: 10 });
    const gate = createGate();
    const recorder = createRecorder(async () => {
      await gate.opened;
      return { kind: "fail", reason: "stopped while running" };
    });
    await queue.start(recorder.handler);
    await queue.enqueue(15, { trigger: "manual", priority: true });
    await waitFor(() => recorder.runs.length === 1);

    const stopping = queue.stop();
    setTimeout(gate.open, 50);
    await stopping;

    expect(await jobs()).toMatchObject([
      { status: "failed", last_error: "stopped while running" },
    ]);
  });
});
