import type { DealView, SyncResponse } from "../../../shared/deal-view.js";
import type { Stand } from "../../../scripts/stand/start-stand.js";
import {
  createJournalRepository,
  type JournalEntry,
} from "../../src/exchange/journal-repository.js";

/** Calls amo1c's widget API as the widget does: a fresh one-time token each time. */
export async function getDeal(stand: Stand, dealId: number): Promise<DealView> {
  const res = await fetch(`${stand.url}/api/v1/deals/${dealId}`, {
    headers: { "x-auth-token": stand.widgetToken() },
  });
  if (res.status !== 200)
    throw new Error(`GET deal ${dealId}: ${res.status} ${await res.text()}`);
  return (await res.json()) as DealView;
}

export async function resync(
  stand: Stand,
  dealId: number,
): Promise<SyncResponse> {
  const res = await fetch(`${stand.url}/api/v1/deals/${dealId}/sync`, {
    method: "POST",
    headers: { "x-auth-token": stand.widgetToken() },
  });
  if (res.status !== 200)
    throw new Error(`POST sync ${dealId}: ${res.status} ${await res.text()}`);
  return (await res.json()) as SyncResponse;
}

/** Polls the deal view until `done` holds or the time is up (then throws with the last view). */
export async function waitForDeal(
  stand: Stand,
  dealId: number,
  done: (view: DealView) => boolean,
  timeoutMs = 15_000,
): Promise<DealView> {
  const deadline = Date.now() + timeoutMs;
  let view = await getDeal(stand, dealId);
  while (!done(view)) {
    if (Date.now() > deadline) {
      throw new Error(
        `deal ${dealId} did not reach the expected state: ${JSON.stringify(view)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
    view = await getDeal(stand, dealId);
  }
  return view;
}

/** A run finished after `since` (ISO time) with a final status. */
export function ranSince(since: string, status?: string) {
  return (view: DealView) =>
    !!view.lastRun &&
    view.lastRun.at >= since &&
    !view.pending &&
    (status === undefined || view.lastRun.status === status);
}

/**
 * One sample of amo1c's /metrics (Prometheus text), such as
 * `amo1c_jobs{state="failed"}`; null when the series is not there.
 */
export async function readMetric(
  stand: Stand,
  series: string,
): Promise<number | null> {
  const res = await fetch(`${stand.url}/metrics`);
  if (res.status !== 200)
    throw new Error(`GET /metrics: ${res.status} ${await res.text()}`);
  const line = (await res.text())
    .split("\n")
    .find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

export const UT11 = "ut11";

export function onecList(stand: Stand, set: string): Record<string, unknown>[] {
  return stand.onec.list(UT11, set).filter((o) => o["DeletionMark"] !== true);
}

/** amo1c's journal rows for the deal, oldest first. */
export async function journalOf(
  stand: Stand,
  dealId: number,
): Promise<JournalEntry[]> {
  const journal = createJournalRepository(stand.amo1c.database.db);
  return (await journal.listForDeal(dealId)).reverse();
}

/**
 * Polls until the deal has `count` journal rows and nothing pending, so a
 * run set off by amo1c's own amoCRM write (its webhook comes back) is seen;
 * then waits `settleMs` more and answers every row, so a caller asserting
 * the exact runs also sees one that came too many.
 */
export async function waitForRuns(
  stand: Stand,
  dealId: number,
  count: number,
  { timeoutMs = 15_000, settleMs = 500 } = {},
): Promise<JournalEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await journalOf(stand, dealId);
    const view = await getDeal(stand, dealId);
    if (runs.length >= count && !view.pending) {
      await new Promise((r) => setTimeout(r, settleMs));
      return journalOf(stand, dealId);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `deal ${dealId} has ${runs.length} runs, not ${count}: ${JSON.stringify(runs)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
