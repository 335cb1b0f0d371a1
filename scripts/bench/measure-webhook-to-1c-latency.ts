import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

import { STAND_ONEC_BASE, type Stand } from "../stand/start-stand.js";
import { postDealWebhooks, startBenchStand } from "./bench-stand.js";
import { generateBenchSeed } from "./generate-bench-seed.js";
import { roundSummary, summarize, type Summary } from "./percentiles.js";
import { journalMark, waitForRuns } from "./read-journal.js";

export interface WebhookTo1cLatencyOptions {
  deals: number;
  /** The queue's debounce window; undefined keeps amo1c's default (3 s). */
  debounceMs?: number | undefined;
  log: (line: string) => void;
}

export type WebhookTo1cLatencyResult = Summary & {
  debounce_ms: number | "default";
  /** The queue's poll period: a debounced job waits up to this long more. */
  queue_poll_ms: "default";
};

const ORDER_SET = "Document_ЗаказКлиента";
// Only the first syncs before the timed changes run side by side; the timed
// changes come one at a time, so the worker count cannot shorten them.
const SETUP_CONCURRENCY = 16;
const FIRST_SYNC_TIMEOUT_MS = 120_000;
const ORDER_TIMEOUT_MS = 30_000;
const ORDER_POLL_MS = 5;
const MAX_PAUSE_MS = 1000;
const GOLDEN_RATIO_FRACTION = 0.618_033_988_75;

/**
 * One deal at a time: its price changes in amoCRM (the emulator sends the
 * update webhook), and the clock stops when 1C's order holds the new sum.
 * The deals are synced once beforehand, so each change is an order update.
 */
export async function measureWebhookTo1cLatency(
  options: WebhookTo1cLatencyOptions,
): Promise<WebhookTo1cLatencyResult> {
  const { seed, dealIds } = generateBenchSeed(options.deals);
  const queue = {
    concurrency: SETUP_CONCURRENCY,
    ...(options.debounceMs === undefined
      ? {}
      : { debounceMs: options.debounceMs }),
  };
  const stand = await startBenchStand({ amocrmSeed: seed, queue });
  try {
    await syncAll(stand, dealIds);
    options.log(
      `${dealIds.length} deals synced once; changing them one by one`,
    );

    const latencies: number[] = [];
    for (const [i, dealId] of dealIds.entries()) {
      await sleep(pauseBefore(i));
      latencies.push(await timeOneChange(stand, dealId));
    }
    return {
      ...roundSummary(summarize(latencies)),
      debounce_ms: options.debounceMs ?? "default",
      queue_poll_ms: "default",
    };
  } finally {
    await stand.stop();
  }
}

async function syncAll(stand: Stand, dealIds: number[]): Promise<void> {
  const db = stand.amo1c.database.db;
  const mark = await journalMark(db);
  await postDealWebhooks(stand, dealIds);
  await waitForRuns({ db, dealIds, mark, timeoutMs: FIRST_SYNC_TIMEOUT_MS });
}

/**
 * A change made right after the previous run ended would always meet the
 * queue's poll timer at the same phase (its timer restarts when a run
 * ends). Pauses spread evenly over 0–1 s by the golden-ratio sequence put
 * the changes at every phase, the way users' edits arrive.
 */
function pauseBefore(index: number): number {
  return ((index * GOLDEN_RATIO_FRACTION) % 1) * MAX_PAUSE_MS;
}

/** From the amoCRM change to the new sum in 1C; waits for the run to end. */
async function timeOneChange(stand: Stand, dealId: number): Promise<number> {
  const db = stand.amo1c.database.db;
  const orderRef = await orderRefOf(stand, dealId);
  const lead = stand.amocrm.state().leads.find((l) => l.id === dealId);
  const price = (lead?.price ?? 0) + 1;
  const mark = await journalMark(db);

  const started = performance.now();
  stand.amocrm.updateLead(dealId, { price });
  await waitForOrderSum(stand, orderRef, price);
  const latency = performance.now() - started;

  // The run ends after the write: let it finish before the next deal.
  await waitForRuns({
    db,
    dealIds: [dealId],
    mark,
    timeoutMs: ORDER_TIMEOUT_MS,
  });
  return latency;
}

async function orderRefOf(stand: Stand, dealId: number): Promise<string> {
  const state = await stand.amo1c.database.db
    .selectFrom("deal_state")
    .select("order_ref")
    .where("deal_id", "=", dealId)
    .executeTakeFirst();
  if (!state?.order_ref) throw new Error(`deal ${dealId} has no order in 1C`);
  return state.order_ref;
}

async function waitForOrderSum(
  stand: Stand,
  ref: string,
  sum: number,
): Promise<void> {
  const deadline = performance.now() + ORDER_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const order = stand.onec.get(STAND_ONEC_BASE, ORDER_SET, ref);
    if (order?.["СуммаДокумента"] === sum) return;
    await sleep(ORDER_POLL_MS);
  }
  throw new Error(`order ${ref} did not reach the sum ${sum} in time`);
}
