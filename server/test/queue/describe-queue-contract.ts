import { setTimeout as sleep } from "node:timers/promises";

import { afterEach, describe, expect, it } from "vitest";

import type {
  JobOutcome,
  JobQueue,
  SyncJob,
} from "../../src/queue/job-queue.js";

export interface ContractQueueOptions {
  debounceMs?: number | undefined;
  concurrency?: number | undefined;
  maxAttempts?: number | undefined;
  backoffBaseMs?: number | undefined;
}

/** One test's storage: every queue opened on it sees the same jobs. */
export interface QueueStore {
  /** Opens a queue; opening again after stop() is a restart. */
  open(options?: ContractQueueOptions): Promise<JobQueue>;
  /** Stops what is still open and removes the storage. */
  dispose(): Promise<void>;
}

export interface QueueContractTarget {
  name: string;
  createStore(): Promise<QueueStore>;
  /** Backoff base the retry tests ask for. */
  backoffBaseMs: number;
  /** The shortest wait the implementation keeps before a first retry. */
  minRetryGapMs: number;
}

type Behaviour = (job: SyncJob) => Promise<JobOutcome> | JobOutcome;

/** A handler that records runs and notices two runs of one deal at once. */
export function createRecorder(
  behaviour: Behaviour = () => ({ kind: "done" }),
) {
  const runs: (SyncJob & { startedAt: number })[] = [];
  const active = new Map<number, number>();
  let overlaps = 0;

  async function handler(job: SyncJob): Promise<JobOutcome> {
    const now = (active.get(job.dealId) ?? 0) + 1;
    active.set(job.dealId, now);
    if (now > 1) overlaps += 1;
    runs.push({ ...job, startedAt: Date.now() });
    try {
      return await behaviour(job);
    } finally {
      active.set(job.dealId, (active.get(job.dealId) ?? 1) - 1);
    }
  }

  return {
    handler,
    runs,
    overlaps: () => overlaps,
    runsOf: (dealId: number) => runs.filter((r) => r.dealId === dealId),
  };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(20);
  }
}

export async function waitForIdle(queue: JobQueue, timeoutMs = 10_000) {
  await waitFor(async () => {
    const c = await queue.counts();
    return c.queued === 0 && c.running === 0;
  }, timeoutMs);
}

/** A promise the test resolves by hand, to hold a handler mid-run. */
export function createGate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * The behaviour every JobQueue implementation promises (see job-queue.ts),
 * run against real storage with short delays.
 */
export function describeQueueContract(target: QueueContractTarget): void {
  describe(`${target.name} queue contract`, () => {
    let store: QueueStore;

    async function openStore(options?: ContractQueueOptions) {
      store = await target.createStore();
      return store.open(options);
    }

    afterEach(async () => {
      await store?.dispose();
    });

    it("runs a job persisted before the answer after the queue restarts", async () => {
      const first = await openStore({ debounceMs: 200 });
      await first.enqueue(101, { trigger: "webhook" });
      expect(await first.isPending(101)).toBe(true);
      await first.stop();

      const second = await store.open({ debounceMs: 200 });
      const recorder = createRecorder();
      await second.start(recorder.handler);
      await waitFor(() => recorder.runs.length === 1);

      await waitForIdle(second);
      expect(recorder.runs).toMatchObject([
        { dealId: 101, trigger: "webhook", attempt: 1 },
      ]);
    });

    it("counts queued jobs and tells which deals are pending", async () => {
      const queue = await openStore({ debounceMs: 5000 });
      await queue.enqueue(70, { trigger: "webhook" });
      await queue.enqueue(70, { trigger: "webhook" });
      await queue.enqueue(71, { trigger: "webhook" });

      expect(await queue.counts()).toEqual({
        queued: 2,
        running: 0,
        failed: 0,
      });
      expect(await queue.isPending(70)).toBe(true);
      expect(await queue.isPending(72)).toBe(false);
    });

    it("never runs two jobs of one deal at once and keeps a change made during a run", async () => {
      const queue = await openStore({ debounceMs: 50, concurrency: 2 });
      const gate = createGate();
      const recorder = createRecorder(async (job) => {
        if (job.dealId === 7 && recorder.runsOf(7).length === 1) {
          await gate.opened;
        }
        return { kind: "done" };
      });
      await queue.start(recorder.handler);

      await queue.enqueue(7, { trigger: "manual", priority: true });
      await waitFor(() => recorder.runsOf(7).length === 1);
      for (let i = 0; i < 5; i++) {
        await queue.enqueue(7, { trigger: "webhook" });
        await queue.enqueue(8, { trigger: "webhook" });
      }
      // Other deals keep moving while deal 7's next job waits for its run.
      await waitFor(() => recorder.runsOf(8).length === 1, 2000);
      await sleep(700);
      expect(recorder.runsOf(7)).toHaveLength(1);

      gate.open();
      await waitFor(() => recorder.runsOf(7).length === 2);
      await waitForIdle(queue);
      expect(recorder.runsOf(7)).toHaveLength(2);
      expect(recorder.runsOf(8)).toHaveLength(1);
      expect(recorder.overlaps()).toBe(0);
    });

    it("makes one run of 50 enqueues for one deal within 2 s", async () => {
      const queue = await openStore({ debounceMs: 2500 });
      const recorder = createRecorder();
      await queue.start(recorder.handler);

      const started = Date.now();
      for (let i = 0; i < 50; i++) {
        await queue.enqueue(5, { trigger: "webhook" });
        await sleep(10);
      }
      const lastEnqueue = Date.now();

      await waitFor(() => recorder.runs.length === 1);
      await sleep(700);
      await waitForIdle(queue);
      expect(recorder.runs).toHaveLength(1);
      // Every enqueue came before the run, and the first one fixed its time.
      const ranAt = recorder.runs[0]!.startedAt;
      expect(ranAt).toBeGreaterThan(lastEnqueue);
      expect(ranAt - started).toBeGreaterThanOrEqual(2400);
    });

    it("retries a job that reports a transient failure, after a backoff", async () => {
      const queue = await openStore({
        maxAttempts: 3,
        backoffBaseMs: target.backoffBaseMs,
        debounceMs: 0,
      });
      const recorder = createRecorder((job) =>
        job.attempt === 1
          ? { kind: "retry", reason: "1C answered 503" }
          : { kind: "done" },
      );
      await queue.start(recorder.handler);

      await queue.enqueue(21, { trigger: "webhook", priority: true });
      await waitFor(() => recorder.runs.length === 2);
      await waitForIdle(queue);

      const [first, second] = recorder.runs;
      expect(recorder.runs.map((r) => r.attempt)).toEqual([1, 2]);
      expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(
        target.minRetryGapMs,
      );
      expect(await queue.failed()).toEqual([]);
      expect(await queue.isPending(21)).toBe(false);
    });

    it("waits longer before a second retry than before the first", async () => {
      const queue = await openStore({
        maxAttempts: 3,
        backoffBaseMs: target.backoffBaseMs,
        debounceMs: 0,
      });
      const recorder = createRecorder((job) =>
        job.attempt < 3
          ? { kind: "retry", reason: "1C answered 503" }
          : { kind: "done" },
      );
      await queue.start(recorder.handler);

      // Several deals, so the jitter of one retry and the poll interval
      // cannot hide the doubling.
      const deals = [41, 42, 43, 44];
      for (const dealId of deals)
        await queue.enqueue(dealId, { trigger: "webhook", priority: true });
      await waitFor(() => recorder.runs.length === 3 * deals.length, 30_000);

      let firstGaps = 0;
      let secondGaps = 0;
      for (const dealId of deals) {
        const [a, b, c] = recorder.runsOf(dealId);
        expect([a, b, c].map((r) => r?.attempt)).toEqual([1, 2, 3]);
        firstGaps += b!.startedAt - a!.startedAt;
        secondGaps += c!.startedAt - b!.startedAt;
      }
      expect(secondGaps).toBeGreaterThan(firstGaps);
      expect(firstGaps / deals.length).toBeGreaterThanOrEqual(
        target.minRetryGapMs,
      );
    });

    it("stops at once on a permanent failure and shows the reason", async () => {
      const queue = await openStore({ maxAttempts: 5, debounceMs: 0 });
      const recorder = createRecorder(() => ({
        kind: "fail",
        reason: "The company has no INN",
      }));
      await queue.start(recorder.handler);

      await queue.enqueue(22, { trigger: "webhook", priority: true });
      await waitFor(async () => (await queue.counts()).failed === 1);
      await sleep(300);

      expect(recorder.runs).toHaveLength(1);
      expect(await queue.failed()).toMatchObject([
        { dealId: 22, attempts: 1, reason: "The company has no INN" },
      ]);
      expect(await queue.isPending(22)).toBe(false);
    });

    it("keeps a job visible as failed after its last attempt, thrown errors included", async () => {
      const queue = await openStore({
        maxAttempts: 2,
        backoffBaseMs: target.backoffBaseMs,
        debounceMs: 0,
      });
      const recorder = createRecorder((job) => {
        if (job.attempt === 1) throw new Error("socket hang up");
        return { kind: "retry", reason: "1C is unavailable" };
      });
      await queue.start(recorder.handler);

      await queue.enqueue(23, { trigger: "webhook", priority: true });
      await waitFor(async () => (await queue.counts()).failed === 1);

      expect(recorder.runs.map((r) => r.attempt)).toEqual([1, 2]);
      const [failed] = await queue.failed();
      expect(failed).toMatchObject({
        dealId: 23,
        attempts: 2,
        reason: "1C is unavailable",
      });
      expect(Date.parse(failed!.failedAt)).not.toBeNaN();
    });

    it("runs failed jobs again on retryFailed()", async () => {
      const queue = await openStore({ debounceMs: 0 });
      let healthy = false;
      const recorder = createRecorder(() =>
        healthy ? { kind: "done" } : { kind: "fail", reason: "1C refused" },
      );
      await queue.start(recorder.handler);
      await queue.enqueue(31, { trigger: "webhook", priority: true });
      await queue.enqueue(32, { trigger: "webhook", priority: true });
      await waitFor(async () => (await queue.counts()).failed === 2);

      healthy = true;
      expect(await queue.retryFailed()).toBe(2);
      await waitFor(() => recorder.runs.length === 4);
      await waitForIdle(queue);

      expect(await queue.failed()).toEqual([]);
      expect(recorder.runs.slice(2)).toMatchObject([
        { trigger: "retry", attempt: 1 },
        { trigger: "retry", attempt: 1 },
      ]);
    });

    it("runs a manual re-sync ahead of waiting webhook jobs", async () => {
      const queue = await openStore({ debounceMs: 50, concurrency: 1 });
      const gate = createGate();
      const recorder = createRecorder(async (job) => {
        if (job.dealId === 50) await gate.opened;
        return { kind: "done" };
      });
      await queue.start(recorder.handler);
      await queue.enqueue(50, { trigger: "manual", priority: true });
      await waitFor(() => recorder.runs.length === 1);

      for (const dealId of [51, 52, 53]) {
        await queue.enqueue(dealId, { trigger: "webhook" });
      }
      await sleep(300);
      await queue.enqueue(54, { trigger: "manual", priority: true });
      gate.open();
      await waitFor(() => recorder.runs.length === 5);

      expect(recorder.runs.map((r) => r.dealId)).toEqual([50, 54, 51, 52, 53]);
    });

    it("runs a debounced job at once when a manual re-sync asks for it", async () => {
      const queue = await openStore({ debounceMs: 30_000 });
      const recorder = createRecorder();
      await queue.start(recorder.handler);
      await queue.enqueue(60, { trigger: "webhook" });
      await sleep(100);

      await queue.enqueue(60, { trigger: "manual", priority: true });
      await waitFor(() => recorder.runs.length === 1, 3000);
      await waitForIdle(queue);

      expect(recorder.runs).toMatchObject([{ dealId: 60, trigger: "manual" }]);
    });

    it("hands the handler the request id each job was queued with", async () => {
      const queue = await openStore({ debounceMs: 30_000 });
      const recorder = createRecorder();
      await queue.enqueue(70, { trigger: "webhook", reqId: "req-hook-70" });
      await queue.enqueue(71, { trigger: "webhook" });
      await queue.enqueue(71, { trigger: "manual", priority: true });
      await queue.enqueue(72, { trigger: "webhook", reqId: "req-hook-72" });
      await queue.enqueue(72, {
        trigger: "manual",
        priority: true,
        reqId: "req-resync-72",
      });
      await queue.enqueue(73, {
        trigger: "manual",
        priority: true,
        reqId: "req-resync-73",
      });
      await queue.start(recorder.handler);
      await waitFor(() => recorder.runs.length === 3, 3000);

      const reqIdOf = (dealId: number) => recorder.runsOf(dealId)[0]?.reqId;
      expect(reqIdOf(71)).toBeUndefined();
      expect(reqIdOf(72)).toBe("req-resync-72");
      expect(reqIdOf(73)).toBe("req-resync-73");
      await queue.enqueue(70, { trigger: "manual", priority: true });
      await waitFor(() => recorder.runs.length === 4, 3000);
      expect(reqIdOf(70)).toBe("req-hook-70");
    });
  });
}
