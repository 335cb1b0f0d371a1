import type { RequestLogEntry } from "../emulators/amocrm/types.js";
import type { RequestRecord } from "../emulators/onec/control.js";
import type { Stand } from "../stand/start-stand.js";
import { postDealWebhooks, startBenchStand } from "./bench-stand.js";
import { generateBenchSeed } from "./generate-bench-seed.js";
import { journalMark, waitForRuns } from "./read-journal.js";

export interface RequestsPerSyncOptions {
  /**
   * Each deal is synced first, then re-synced unchanged, then changed; the
   * first deal's first sync is reported apart (cold caches). At least 2.
   */
  deals: number;
  log: (line: string) => void;
}

export interface RequestCounts {
  amocrm_reads: number;
  amocrm_writes: number;
  onec_reads: number;
  onec_writes: number;
  /** amo1c's own counts in the exchange journal, for a cross-check. */
  journal_amocrm: number;
  journal_onec: number;
}

export interface RequestsPerSyncResult {
  deals: number;
  /**
   * The process's first sync: it also reads 1C's $metadata and the contact
   * information kinds, which are cached for every later run.
   */
  first_sync_cold: RequestCounts;
  /** The largest count seen over the other deals, per kind of run. */
  first_sync: RequestCounts;
  unchanged_resync: RequestCounts;
  price_changed_resync: RequestCounts;
  /** Every request of a (warm) first sync, as the emulators logged them. */
  first_sync_requests: string[];
  unchanged_resync_requests: string[];
  price_changed_resync_requests: string[];
}

const RUN_TIMEOUT_MS = 30_000;

/**
 * Counts what the emulators received for one run at a time. The debounce
 * is off here: it changes when a run starts, not what it sends.
 */
export async function measureRequestsPerSync(
  options: RequestsPerSyncOptions,
): Promise<RequestsPerSyncResult> {
  const { seed, dealIds } = generateBenchSeed(options.deals);
  const stand = await startBenchStand({
    amocrmSeed: seed,
    queue: { debounceMs: 0, pollMs: 50 },
  });
  try {
    const first: RunRequests[] = [];
    const unchanged: RunRequests[] = [];
    const changed: RunRequests[] = [];
    for (const dealId of dealIds) {
      first.push(await countRun(stand, dealId, () => hook(stand, dealId)));
      unchanged.push(await countRun(stand, dealId, () => hook(stand, dealId)));
      changed.push(
        await countRun(stand, dealId, () => changePrice(stand, dealId)),
      );
      options.log(`deal ${dealId}: first sync, unchanged and changed re-sync`);
    }
    return {
      deals: dealIds.length,
      first_sync_cold: (first[0] as RunRequests).counts,
      first_sync: largest(first.slice(1)),
      unchanged_resync: largest(unchanged),
      price_changed_resync: largest(changed),
      first_sync_requests: first[1]?.lines ?? [],
      unchanged_resync_requests: unchanged[1]?.lines ?? [],
      price_changed_resync_requests: changed[1]?.lines ?? [],
    };
  } finally {
    await stand.stop();
  }
}

interface RunRequests {
  counts: RequestCounts;
  lines: string[];
}

async function hook(stand: Stand, dealId: number): Promise<void> {
  const [status] = await postDealWebhooks(stand, [dealId]);
  if (status !== 200) throw new Error(`the webhook was answered ${status}`);
}

async function changePrice(stand: Stand, dealId: number): Promise<void> {
  const lead = stand.amocrm.state().leads.find((l) => l.id === dealId);
  // The emulator sends amoCRM's own update webhook for this.
  stand.amocrm.updateLead(dealId, { price: (lead?.price ?? 0) + 1 });
}

/** Clears both request logs, triggers one run, and reads the logs after it. */
async function countRun(
  stand: Stand,
  dealId: number,
  trigger: () => Promise<void>,
): Promise<RunRequests> {
  const db = stand.amo1c.database.db;
  const mark = await journalMark(db);
  stand.amocrm.clearRequests();
  stand.onec.clearRequests();

  await trigger();
  const rows = await waitForRuns({
    db,
    dealIds: [dealId],
    mark,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  const run = rows.find((r) => r.dealId === dealId);
  if (rows.length !== 1 || run?.outcome !== "ok") {
    throw new Error(`deal ${dealId}: expected one ok run, got ${rows.length}`);
  }

  const amocrm = stand.amocrm
    .requests()
    .filter((r) => r.path.startsWith("/api/v4/"));
  const onec = stand.onec.requests();
  return {
    counts: {
      amocrm_reads: amocrm.filter((r) => r.method === "GET").length,
      amocrm_writes: amocrm.filter((r) => r.method !== "GET").length,
      onec_reads: onec.filter((r) => r.method === "GET").length,
      onec_writes: onec.filter((r) => r.method !== "GET").length,
      journal_amocrm: run.amocrmRequests,
      journal_onec: run.onecRequests,
    },
    lines: timeline(amocrm, onec),
  };
}

/** Both logs in arrival order, each line with its ms since the first. */
function timeline(amocrm: RequestLogEntry[], onec: RequestRecord[]): string[] {
  const entries = [
    ...amocrm.map((r) => ({
      at: r.at,
      text: `amoCRM ${r.method} ${r.url} → ${r.status}`,
    })),
    ...onec.map((r) => ({
      at: r.at,
      text: `1C ${r.method} ${decodeURIComponent(r.path)}${r.query ? `?${r.query}` : ""} → ${r.status}`,
    })),
  ].sort((a, b) => a.at - b.at);
  const start = entries[0]?.at ?? 0;
  return entries.map((e) => `+${e.at - start} ms ${e.text}`);
}

function largest(runs: RunRequests[]): RequestCounts {
  const keys = Object.keys(runs[0]?.counts ?? {}) as (keyof RequestCounts)[];
  const out = {} as RequestCounts;
  for (const key of keys)
    out[key] = Math.max(...runs.map((run) => run.counts[key]));
  return out;
}
