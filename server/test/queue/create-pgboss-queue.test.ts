import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";
import PgBoss from "pg-boss";
import { afterAll, afterEach, describe, expect, it } from "vitest";

import { createPgBossQueue } from "../../src/queue/create-pgboss-queue.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { captureLog } from "../helpers/capture-log.js";
import { postgresAvailable, TEST_DATABASE_URL } from "../helpers/postgres.js";
import {
  createRecorder,
  waitFor,
  waitForIdle,
} from "./describe-queue-contract.js";

const pgReady = await postgresAvailable();
const schema = `pgboss_test_${randomBytes(4).toString("hex")}`;
const { log } = captureLog("warn");

describe.skipIf(!pgReady)("pg-boss queue across processes", () => {
  const opened: JobQueue[] = [];

  function open(queueName: string, extra: { expireInSeconds?: number } = {}) {
    const queue = createPgBossQueue({
      connectionString: TEST_DATABASE_URL,
      log,
      schema,
      queueName,
      debounceMs: 300,
      pollMs: 500,
      backoffBaseMs: 1000,
      maintenanceIntervalSeconds: 1,
      ...extra,
    });
    opened.push(queue);
    return queue;
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

  it("starts two instances at once on a queue neither has created yet", async () => {
    // pg-boss 10's create_queue deadlocked when two processes raced on a
    // new queue; a few fresh queues make the race likely without the fix.
    for (const name of ["race-a", "race-b", "race-c"]) {
      const both = [open(name), open(name)];
      const handler = createRecorder(async () => ({ kind: "done" })).handler;

      const started = await Promise.allSettled(
        both.map((queue) => queue.start(handler)),
      );

      expect(started.map((s) => s.status)).toEqual(["fulfilled", "fulfilled"]);
    }
  });

  it("processes 100 deals exactly once across two instances, never one deal twice at once", async () => {
    const first = open("two-instances");
    const second = open("two-instances");
    const ranOn = new Map<number, string[]>();
    const recorder = createRecorder(async (job) => {
      await new Promise((resolve) =>
        setTimeout(resolve, 5 + (job.dealId % 20)),
      );
      return { kind: "done" };
    });
    const on =
      (name: string) => (job: Parameters<typeof recorder.handler>[0]) => {
        ranOn.set(job.dealId, [...(ranOn.get(job.dealId) ?? []), name]);
        return recorder.handler(job);
      };
    await first.start(on("first"));
    await second.start(on("second"));

    // Each webhook reaches both instances, as behind a load balancer that
    // retried: the second enqueue of a deal folds into the first.
    const deals = Array.from({ length: 100 }, (_, i) => 1000 + i);
    await Promise.all(
      deals.map((d) => first.enqueue(d, { trigger: "webhook" })),
    );
    await Promise.all(
      deals.map((d) => second.enqueue(d, { trigger: "webhook" })),
    );
    await waitFor(() => recorder.runs.length >= 100, 30_000);
    await waitForIdle(first);
    await new Promise((resolve) => setTimeout(resolve, 800));

    expect(recorder.runs).toHaveLength(100);
    expect(new Set(recorder.runs.map((r) => r.dealId)).size).toBe(100);
    expect(recorder.overlaps()).toBe(0);
    const instances = new Set([...ranOn.values()].flat());
    expect(instances).toEqual(new Set(["first", "second"]));
  });

  it("never overlaps two runs of one deal across instances under contention", async () => {
    const first = open("contention");
    const second = open("contention");
    const recorder = createRecorder(async () => {
      await sleep(150);
      return { kind: "done" };
    });
    await first.start(recorder.handler);
    await second.start(recorder.handler);

    // Webhooks and re-syncs for the same three deals reach both instances
    // while runs of those deals are in progress.
    const deals = [2001, 2002, 2003];
    const lastEnqueue = new Map<number, number>();
    for (let round = 0; round < 20; round++) {
      const queue = round % 2 === 0 ? first : second;
      for (const dealId of deals) {
        const priority = (round + dealId) % 3 === 0;
        await queue.enqueue(dealId, {
          trigger: priority ? "manual" : "webhook",
          priority,
        });
        lastEnqueue.set(dealId, Date.now());
      }
      await sleep(40);
    }
    await waitFor(
      () =>
        deals.every((d) =>
          recorder.runsOf(d).some((r) => r.startedAt > lastEnqueue.get(d)!),
        ),
      30_000,
    );
    await waitForIdle(first, 30_000);

    expect(recorder.overlaps()).toBe(0);
    for (const dealId of deals)
      expect(recorder.runsOf(dealId).length).toBeGreaterThan(1);
  });

  it("keeps a run that outlives its expiry apart from the job's next run", async () => {
    const first = open("outlived", { expireInSeconds: 1 });
    const second = open("outlived", { expireInSeconds: 1 });
    const ended: number[] = [];
    const recorder = createRecorder(async () => {
      // The first run outlasts expireInSeconds several times over.
      if (recorder.runs.length === 1) await sleep(5000);
      ended.push(Date.now());
      return { kind: "done" };
    });
    await first.start(recorder.handler);
    await second.start(recorder.handler);

    await first.enqueue(3001, { trigger: "manual", priority: true });
    await waitFor(() => recorder.runs.length >= 2, 30_000);
    await waitForIdle(first, 30_000);

    expect(recorder.overlaps()).toBe(0);
    const [slow, next] = recorder.runsOf(3001);
    expect(next!.startedAt).toBeGreaterThanOrEqual(ended[0]!);
    expect(slow!.attempt).toBe(1);
  });

  it("runs again a job whose process died mid-run, once it expires", async () => {
    const queue = open("killed-process", { expireInSeconds: 1 });
    await queue.enqueue(90, { trigger: "webhook", priority: true });

    // A process takes the job and dies: active, never completed.
    const dead = new PgBoss({ connectionString: TEST_DATABASE_URL, schema });
    dead.on("error", () => undefined);
    await dead.start();
    const [taken] = await dead.fetch("killed-process");
    await dead.stop({ graceful: false, close: true });
    expect(taken).toBeDefined();
    expect(await queue.counts()).toMatchObject({ running: 1 });

    const recorder = createRecorder();
    await queue.start(recorder.handler);
    await waitFor(() => recorder.runs.length === 1, 15_000);

    expect(recorder.runs).toMatchObject([{ dealId: 90, attempt: 2 }]);
    await waitForIdle(queue);
    expect(await queue.failed()).toEqual([]);
  });

  it("puts a deal with two failed jobs back as one job", async () => {
    const queue = open("two-failed");
    let healthy = false;
    const recorder = createRecorder(() =>
      healthy ? { kind: "done" } : { kind: "fail", reason: "1C refused" },
    );
    await queue.start(recorder.handler);
    await queue.enqueue(77, { trigger: "webhook", priority: true });
    await waitFor(async () => (await queue.counts()).failed === 1);
    await queue.enqueue(77, { trigger: "manual", priority: true });
    await waitFor(async () => (await queue.counts()).failed === 2);

    healthy = true;
    expect(await queue.retryFailed()).toBe(2);
    await waitFor(() => recorder.runs.length === 3);
    await waitForIdle(queue);
    await new Promise((resolve) => setTimeout(resolve, 600));

    expect(recorder.runs).toHaveLength(3);
    expect(await queue.failed()).toEqual([]);
  });
});
