import type { AmocrmApi } from "../amocrm/api-types.js";
import type { Logger } from "../log.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { SettingsStore } from "../storage/settings-store.js";

/** Reconciliation re-reads this much before the last pass, for clock skew. */
const OVERLAP_SECONDS = 60;
const CURSOR_KEY = "reconcile.cursor";

export interface ReconcileOptions {
  amocrm: AmocrmApi;
  queue: JobQueue;
  settings: Pick<SettingsStore, "readValue" | "writeValue">;
  log: Logger;
  /** A backfill from this Unix time (seconds) instead of the last pass. */
  sinceSeconds?: number | undefined;
  /** First pass: how far back to look, in seconds. */
  initialLookbackSeconds?: number | undefined;
  now?: () => number;
}

/**
 * Webhooks can be lost (reference amocrm §4.3–4.4). Queues every deal that
 * amoCRM changed since the last pass, or whose contacts or company were
 * linked or unlinked (which may not change the deal's updated_at).
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

  const [updated, events] = await Promise.all([
    options.amocrm.listLeadIdsUpdatedSince(from),
    options.amocrm.listLinkEvents(from),
  ]);
  const dealIds = new Set<number>(updated);
  for (const event of events)
    if (event.entityType === "lead") dealIds.add(event.entityId);

  for (const dealId of dealIds)
    await options.queue.enqueue(dealId, { trigger: "reconcile" });
  await options.settings.writeValue(CURSOR_KEY, nowSeconds);

  options.log.info(
    { deals: dealIds.size, since: from },
    "reconciliation queued deals",
  );
  return dealIds.size;
}

async function readCursor(
  settings: Pick<SettingsStore, "readValue">,
): Promise<number | null> {
  const value = await settings.readValue(CURSOR_KEY);
  return typeof value === "number" ? value : null;
}
