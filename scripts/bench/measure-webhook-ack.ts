import { monitorEventLoopDelay } from "node:perf_hooks";

import type { Stand } from "../stand/start-stand.js";
import { hookAccountOf, startBenchStand } from "./bench-stand.js";
import { buildLeadWebhookBody } from "./build-webhook-body.js";
import {
  round2,
  roundSummary,
  summarize,
  type Summary,
} from "./percentiles.js";
import { runLoadInWorker } from "./run-load-in-worker.js";
import type { LoadRequest } from "./run-open-loop.js";

export interface WebhookAckOptions {
  ratePerSecond: number;
  durationSeconds: number;
  log: (line: string) => void;
}

export type WebhookAckResult = Summary & {
  sent: number;
  /** Answered non-2xx, or answered 2xx with no job stored for the deal. */
  lost: number;
  non_2xx: number;
  distinct_deals: number;
  persisted_deals: number;
  /** The queue's own count of queued jobs afterwards: one per deal. */
  queued_jobs: number;
  rate_per_s: number;
  duration_s: number;
  /** The load thread's own worst lateness (it inflates every latency). */
  max_send_lag_ms: number;
  /** amo1c's event loop while the webhooks arrived (emulators share it). */
  event_loop_delay_p99_ms: number;
};

/** Deal ids no seed uses: each webhook names a deal of its own. */
const FIRST_HOOK_DEAL_ID = 9_000_001;
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Webhooks arrive at a steady rate while the queue workers stay stopped, so
 * the figure is the answer path alone: parse, check, store the job, answer.
 * Afterwards every deal sent must have a stored job.
 */
export async function measureWebhookAck(
  options: WebhookAckOptions,
): Promise<WebhookAckResult> {
  const stand = await startBenchStand({ startWorkers: false });
  try {
    return await runAckLoad(stand, options);
  } finally {
    await stand.stop();
  }
}

async function runAckLoad(
  stand: Stand,
  options: WebhookAckOptions,
): Promise<WebhookAckResult> {
  const count = options.ratePerSecond * options.durationSeconds;
  const requests = await buildHookRequests(stand, count);
  options.log(
    `sending ${count} webhooks at ${options.ratePerSecond}/s for ${options.durationSeconds} s (queue workers stopped)`,
  );

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const load = await runLoadInWorker({
    origin: stand.url,
    ratePerSecond: options.ratePerSecond,
    requests,
    timeoutMs: ANSWER_TIMEOUT_MS,
  });
  loopDelay.disable();

  const persisted = await persistedDeals(stand, count);
  const { queued } = await stand.amo1c.queue.counts();
  const lost = load.statuses.filter(
    (status, i) =>
      status < 200 || status >= 300 || !persisted.has(FIRST_HOOK_DEAL_ID + i),
  ).length;
  const answered = load.latenciesMs.filter((ms) => !Number.isNaN(ms));
  return {
    ...roundSummary(summarize(answered)),
    sent: count,
    lost,
    non_2xx: load.statuses.filter((s) => s < 200 || s >= 300).length,
    distinct_deals: count,
    persisted_deals: persisted.size,
    queued_jobs: queued,
    rate_per_s: round2(count / (load.elapsedMs / 1000)),
    duration_s: round2(load.elapsedMs / 1000),
    max_send_lag_ms: round2(load.maxSendLagMs),
    event_loop_delay_p99_ms: round2(loopDelay.percentile(99) / 1e6),
  };
}

async function buildHookRequests(
  stand: Stand,
  count: number,
): Promise<LoadRequest[]> {
  const path = new URL(await stand.amo1c.webhookUrl()).pathname;
  const account = hookAccountOf(stand);
  const seed = stand.amocrm.state().seed;
  const pipeline = seed.pipelines[0];
  const userId = seed.users[0]?.id ?? 0;
  const nowSec = Math.floor(Date.now() / 1000);

  return Array.from({ length: count }, (_, i) => ({
    method: "POST" as const,
    path,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: buildLeadWebhookBody(account, [
      {
        id: FIRST_HOOK_DEAL_ID + i,
        name: `Сделка из вебхука ${i + 1}`,
        price: 100 + i,
        statusId: pipeline?.statuses[0]?.id ?? 0,
        pipelineId: pipeline?.id ?? 0,
        userId,
        updatedAt: nowSec,
      },
    ]),
  }));
}

/** Deal ids of the load that have a job row (queued, since no worker runs). */
async function persistedDeals(
  stand: Stand,
  count: number,
): Promise<Set<number>> {
  const rows = await stand.amo1c.database.db
    .selectFrom("jobs")
    .select("deal_id")
    .distinct()
    .where("deal_id", ">=", FIRST_HOOK_DEAL_ID)
    .where("deal_id", "<", FIRST_HOOK_DEAL_ID + count)
    .execute();
  return new Set(rows.map((r) => r.deal_id));
}
