import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";
import type { Logger } from "../log.js";
import { acquireLease } from "./acquire-lease.js";
import { clearPresence, markPresence } from "./mark-presence.js";

export interface ScheduledTask {
  name: string;
  everyMs: number;
  run: () => Promise<void>;
}

export interface SchedulerOptions {
  db: Kysely<Database>;
  log: Logger;
  /** This instance's id; leases name their holder. */
  holder: string;
  tasks: ScheduledTask[];
  /** How often each instance asks whether a task is due. */
  tickMs?: number | undefined;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Runs each task once per period across all instances: before running, an
 * instance takes the task's lease for the whole period, so the others skip
 * it until the lease expires.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const tickMs = options.tickMs ?? 30_000;
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;

  async function tick(task: ScheduledTask): Promise<void> {
    const due = await acquireLease(options.db, {
      name: `task:${task.name}`,
      holder: options.holder,
      ttlMs: task.everyMs,
    });
    if (!due) return;

    const startedAt = Date.now();
    try {
      await task.run();
      options.log.info(
        { task: task.name, durationMs: Date.now() - startedAt },
        "scheduled task done",
      );
    } catch (err) {
      options.log.error({ err, task: task.name }, "scheduled task failed");
    }
  }

  /** Three ticks: one late tick does not make a live instance look gone. */
  const presenceTtlMs = 3 * tickMs;

  function track(run: Promise<void>): void {
    running.add(run);
    void run.finally(() => running.delete(run));
  }

  function tickAll(): void {
    track(
      markPresence(options.db, {
        holder: options.holder,
        ttlMs: presenceTtlMs,
      }).catch((err: unknown) =>
        options.log.warn({ err }, "scheduler could not mark its presence"),
      ),
    );
    for (const task of options.tasks) {
      const run = tick(task).catch((err: unknown) =>
        options.log.error(
          { err, task: task.name },
          "scheduler could not reach the database",
        ),
      );
      track(run);
    }
  }

  return {
    start() {
      tickAll();
      timer = setInterval(tickAll, tickMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(running);
      await clearPresence(options.db, options.holder).catch((err: unknown) =>
        options.log.warn({ err }, "scheduler could not clear its presence"),
      );
    },
  };
}
