import type { Stand } from "../stand/start-stand.js";
import { postDealWebhooks } from "./bench-stand.js";
import {
  round2,
  roundSummary,
  summarize,
  type Summary,
} from "./percentiles.js";
import { journalMark, waitForRuns, type JournalRow } from "./read-journal.js";

/** amoCRM's documented limit per integration (reference amocrm §3.11). */
export const AMOCRM_REQUESTS_PER_SECOND = 7;

export interface SyncThroughputOptions {
  /** Deals seeded in the stand's amoCRM, none synced yet. */
  dealIds: number[];
  concurrency: number;
  timeoutMs: number;
  log: (line: string) => void;
}

export interface SyncThroughputResult {
  deals: number;
  concurrency: number;
  /** Deals per second from the first run's start to the last run's end. */
  achieved_deals_per_s: number;
  /** The same from the burst's first webhook: includes the 3 s debounce. */
  wall_deals_per_s: number;
  window_s: number;
  amocrm_requests_per_deal: number;
  amocrm_reads_per_deal: number;
  onec_requests_per_deal: number;
  onec_writes_per_deal: number;
  /** 7 / amoCRM requests per deal: what amoCRM's limit allows at most. */
  bound_deals_per_s: number;
  bound_ratio: number;
  amocrm_429s: number;
  outcomes: Record<string, number>;
  /** How long one run took, first sync, under this load. */
  run_ms: Summary;
}

/**
 * A burst of webhooks names every seeded deal at once; the queue works them
 * off. amoCRM's rate limit is the ceiling: each first sync needs a fixed
 * number of amoCRM requests, and at most 7 go out per second.
 */
export async function measureSyncThroughput(
  stand: Stand,
  options: SyncThroughputOptions,
): Promise<SyncThroughputResult> {
  const { dealIds } = options;
  stand.amocrm.clearRequests();
  stand.onec.clearRequests();
  const mark = await journalMark(stand.amo1c.database.db);

  options.log(
    `posting ${dealIds.length} webhooks at once, queue concurrency ${options.concurrency}`,
  );
  const burstStart = Date.now();
  const statuses = await postDealWebhooks(stand, dealIds);
  const refused = statuses.filter((s) => s < 200 || s >= 300).length;
  if (refused > 0) throw new Error(`${refused} burst webhooks were refused`);

  const rows = await waitForRuns({
    db: stand.amo1c.database.db,
    dealIds,
    mark,
    timeoutMs: options.timeoutMs,
    onProgress: (done) =>
      options.log(`${done} of ${dealIds.length} deals synced`),
  });
  return summarizeBurst(stand, options, rows, burstStart);
}

function summarizeBurst(
  stand: Stand,
  options: SyncThroughputOptions,
  rows: JournalRow[],
  burstStart: number,
): SyncThroughputResult {
  const deals = options.dealIds.length;
  const firstStart = Math.min(...rows.map((r) => r.startedMs));
  const lastEnd = Math.max(...rows.map((r) => r.endedMs));
  const windowS = (lastEnd - firstStart) / 1000;

  const amocrm = stand.amocrm
    .requests()
    .filter((r) => r.path.startsWith("/api/v4/"));
  const answered = amocrm.filter((r) => r.status !== 429);
  const onec = stand.onec.requests();
  const perDeal = answered.length / deals;
  const bound = AMOCRM_REQUESTS_PER_SECOND / perDeal;
  const achieved = deals / windowS;

  return {
    deals,
    concurrency: options.concurrency,
    achieved_deals_per_s: round2(achieved),
    wall_deals_per_s: round2(deals / ((lastEnd - burstStart) / 1000)),
    window_s: round2(windowS),
    amocrm_requests_per_deal: round2(perDeal),
    amocrm_reads_per_deal: round2(
      answered.filter((r) => r.method === "GET").length / deals,
    ),
    onec_requests_per_deal: round2(onec.length / deals),
    onec_writes_per_deal: round2(
      onec.filter((r) => r.method !== "GET").length / deals,
    ),
    bound_deals_per_s: round2(bound),
    bound_ratio: round2(achieved / bound),
    amocrm_429s: amocrm.length - answered.length,
    outcomes: countOutcomes(rows),
    run_ms: roundSummary(summarize(rows.map((r) => r.endedMs - r.startedMs))),
  };
}

function countOutcomes(rows: JournalRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.outcome] = (counts[row.outcome] ?? 0) + 1;
  return counts;
}
