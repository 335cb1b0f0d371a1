import type { AmocrmApi } from "../amocrm/api-types.js";
import type { Logger } from "../log.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { SettingsStore } from "../storage/settings-store.js";
import type {
  DealState,
  DealStateRepository,
} from "./deal-state-repository.js";

/** Reconciliation re-reads this much before the last pass, for clock skew. */
const OVERLAP_SECONDS = 60;
const CURSOR_KEY = "reconcile.cursor";

export interface ReconcileOptions {
  amocrm: AmocrmApi;
  queue: JobQueue;
  settings: Pick<SettingsStore, "readValue" | "writeValue">;
  /** Each deal's last run, to leave out deals synced since they changed. */
  states: Pick<DealStateRepository, "get">;
  log: Logger;
  /**
   * A backfill from this Unix time (seconds) instead of the last pass; it
   * queues every changed deal, synced or not.
   */
  sinceSeconds?: number | undefined;
  /** First pass: how far back to look, in seconds. */
  initialLookbackSeconds?: number | undefined;
  now?: () => number;
}

/**
 * Webhooks can be lost (reference amocrm §4.3–4.4). Queues the deals that
 * amoCRM changed since the last pass, or whose contacts or company were
 * linked or unlinked (which may not change the deal's updated_at), unless
 * a successful run started after that change.
 */
export async function reconcileDeals(
  options: ReconcileOptions,
): Promise<number> {
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const since =
    options.sinceSeconds ??
    (await readCursor(options.settings)) ??
    nowSeconds - (options.initialLookbackSeconds ?? 3600);
  const from = since - OVERLAP_SECONDS;

  const changedAt = await readChanges(options.amocrm, from);
  const backfill = options.sinceSeconds !== undefined;
  let queued = 0;
  for (const [dealId, at] of changedAt) {
    if (!backfill && isFresh(await options.states.get(dealId), at)) continue;
    await options.queue.enqueue(dealId, { trigger: "reconcile" });
    queued += 1;
  }
  await options.settings.writeValue(CURSOR_KEY, nowSeconds);

  options.log.info(
    { deals: queued, changed: changedAt.size, since: from },
    "reconciliation queued deals",
  );
  return queued;
}

/** Deal id → the latest change amoCRM reports for it (Unix seconds). */
async function readChanges(
  amocrm: AmocrmApi,
  from: number,
): Promise<Map<number, number>> {
  const [updated, events] = await Promise.all([
    amocrm.listLeadsUpdatedSince(from),
    amocrm.listLinkEvents(from),
  ]);
  const changedAt = new Map<number, number>();
  const note = (dealId: number, at: number) =>
    changedAt.set(dealId, Math.max(at, changedAt.get(dealId) ?? at));
  for (const lead of updated) note(lead.id, lead.updatedAt);
  for (const event of events)
    if (event.entityType === "lead") note(event.entityId, event.createdAt);
  return changedAt;
}

/**
 * A run that succeeded and started after the change read the deal as it
 * is now. amoCRM counts whole seconds, so a run in the same second as the
 * change may have read it before: that one is stale.
 */
function isFresh(state: DealState | null, changedAt: number): boolean {
  if (state?.last_status !== "ok" || !state.last_run_at) return false;
  const ranAt = Math.floor(Date.parse(state.last_run_at) / 1000);
  return ranAt > changedAt;
}

async function readCursor(
  settings: Pick<SettingsStore, "readValue">,
): Promise<number | null> {
  const value = await settings.readValue(CURSOR_KEY);
  return typeof value === "number" ? value : null;
}
