import { signal } from "@preact/signals-core";
import type { Signal } from "@preact/signals-core";

import type { DealView } from "../../../shared/deal-view.js";
import type { ApiError } from "../api/api-error.js";
import type { ApiClient } from "../api/create-api-client.js";
import { toApiError } from "./to-api-error.js";
import { waitWithTimer } from "./wait.js";
import type { Wait } from "./wait.js";

/** The backend asks to poll every 2 s while a run is queued or running. */
export const DEAL_POLL_INTERVAL_MS = 2_000;
/**
 * A run stuck in the queue stops being polled after ten minutes; the button
 * comes back so the user can try again or reopen the card later.
 */
const MAX_POLLS = 300;

/** idle; sending: the sync request is open; waiting: the run is queued. */
export type SyncPhase = "idle" | "sending" | "waiting";

export interface DealStore {
  dealId: number;
  deal: Signal<DealView | null>;
  loading: Signal<boolean>;
  /** Why the deal could not be read or sent; null after a success. */
  error: Signal<ApiError | null>;
  syncPhase: Signal<SyncPhase>;
  load(): Promise<void>;
  resync(): Promise<void>;
  /** Stops polling; the panel was unmounted. */
  dispose(): void;
}

export interface DealStoreOptions {
  api: Pick<ApiClient, "getDeal" | "syncDeal">;
  dealId: number;
  wait?: Wait | undefined;
  pollIntervalMs?: number | undefined;
}

/**
 * What the deal card panel shows, read from and refreshed by the backend.
 * One closure, because load, resync and polling share the disposed flag.
 */
export function createDealStore(options: DealStoreOptions): DealStore {
  const { api, dealId } = options;
  const wait = options.wait ?? waitWithTimer;
  const pollIntervalMs = options.pollIntervalMs ?? DEAL_POLL_INTERVAL_MS;
  let disposed = false;
  // The current poll loop's number: a re-sync retires the loop before it.
  let loop = 0;
  const store: DealStore = {
    dealId,
    deal: signal(null),
    loading: signal(false),
    error: signal(null),
    syncPhase: signal("idle"),
    load,
    resync,
    dispose: () => {
      disposed = true;
    },
  };

  async function load(): Promise<void> {
    store.loading.value = true;
    try {
      show(await api.getDeal(dealId));
    } catch (error) {
      store.error.value = toApiError(error);
    } finally {
      store.loading.value = false;
    }
    await pollWhilePending();
  }

  async function resync(): Promise<void> {
    // While a run waits for its retry the button stays usable (see
    // ResyncButton); only an open request ignores a second press.
    if (store.syncPhase.value === "sending") return;

    loop += 1;
    store.syncPhase.value = "sending";
    try {
      show((await api.syncDeal(dealId)).deal);
    } catch (error) {
      store.error.value = toApiError(error);
    }
    store.syncPhase.value = "idle";
    await pollWhilePending();
  }

  async function pollWhilePending(): Promise<void> {
    const mine = ++loop;
    for (let poll = 0; poll < MAX_POLLS; poll += 1) {
      if (mine !== loop) return;
      if (disposed || store.deal.value?.pending !== true) break;
      store.syncPhase.value = "waiting";
      await wait(pollIntervalMs);
      if (mine !== loop) return;
      if (disposed) break;
      try {
        show(await api.getDeal(dealId));
      } catch (error) {
        store.error.value = toApiError(error);
        break;
      }
    }
    store.syncPhase.value = "idle";
  }

  function show(deal: DealView): void {
    store.deal.value = deal;
    store.error.value = null;
  }

  return store;
}
