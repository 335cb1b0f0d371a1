import type { Amo1c } from "../app/create-amo1c.js";
import { createDealStateRepository } from "../exchange/deal-state-repository.js";
import { reconcileDeals } from "../exchange/reconcile-deals.js";
import type { Logger } from "../log.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { CliIo, ExitCode } from "./cli-io.js";

/** How often a long reconciliation says how far it got. */
export const RECONCILE_PROGRESS_EVERY_MS = 2000;

export interface ReconcileNowOptions {
  amo1c: Pick<Amo1c, "amocrm" | "queue" | "settings" | "database">;
  log: Logger;
  progressEveryMs?: number | undefined;
  /** Backfill: every deal changed since this date, not only since the last pass. */
  since?: Date | undefined;
}

/**
 * `amo1c reconcile`: the scheduled reconciliation pass, now. Listing the
 * changed deals pages through amoCRM at its rate limit, so a long pass
 * prints its elapsed time and the deals queued so far.
 */
export async function reconcileNow(
  options: ReconcileNowOptions,
  io: CliIo,
): Promise<ExitCode> {
  const { amo1c } = options;
  const started = Date.now();
  const counting = countEnqueues(amo1c.queue);
  const ticker = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    io.out(
      `reconciling… ${seconds} s, ${counting.queued()} deal(s) queued so far`,
    );
  }, options.progressEveryMs ?? RECONCILE_PROGRESS_EVERY_MS);

  try {
    const deals = await reconcileDeals({
      amocrm: amo1c.amocrm.api,
      queue: counting.queue,
      settings: amo1c.settings,
      states: createDealStateRepository(amo1c.database.db),
      sinceSeconds: options.since
        ? Math.floor(options.since.getTime() / 1000)
        : undefined,
      log: options.log,
    });
    const since = options.since
      ? options.since.toISOString().slice(0, 10)
      : "the last pass";
    io.out(
      `queued ${deals} deal(s) changed since ${since}; the running amo1c syncs them`,
    );
    return 0;
  } finally {
    clearInterval(ticker);
  }
}

function countEnqueues(queue: JobQueue): {
  queue: JobQueue;
  queued(): number;
} {
  let queued = 0;
  return {
    queue: {
      ...queue,
      async enqueue(dealId, enqueueOptions) {
        await queue.enqueue(dealId, enqueueOptions);
        queued += 1;
      },
    },
    queued: () => queued,
  };
}
