import { describe, expect, it } from "vitest";

import type { DealView } from "../../../shared/deal-view.js";
import { createDealStore } from "../../src/state/create-deal-store.js";
import { syncedDeal } from "../fixtures/deal-views.js";
import { createManualWait } from "../helpers/create-manual-wait.js";

function countingApi(deal: DealView) {
  const calls = { getDeal: 0, syncDeal: 0 };
  return {
    calls,
    api: {
      getDeal: async () => {
        calls.getDeal += 1;
        return deal;
      },
      syncDeal: async () => {
        calls.syncDeal += 1;
        return { outcome: "done" as const, deal };
      },
    },
  };
}

describe("createDealStore", () => {
  it("stops polling a pending deal once disposed", async () => {
    const manual = createManualWait();
    const { api, calls } = countingApi(syncedDeal({ pending: true }));
    const store = createDealStore({ api, dealId: 4242, wait: manual.wait });

    const loading = store.load();
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    store.dispose();
    manual.release();
    await loading;

    expect(calls.getDeal).toBe(1);
    expect(store.syncPhase.value).toBe("idle");
  });

  it("ignores a second press while a sync request is open", async () => {
    const { api, calls } = countingApi(syncedDeal());
    const store = createDealStore({ api, dealId: 4242 });

    await Promise.all([store.resync(), store.resync()]);

    expect(calls.syncDeal).toBe(1);
    expect(store.deal.value?.synced).toBe(true);
  });

  it("gives up polling a run stuck in the queue after ten minutes", async () => {
    const { api, calls } = countingApi(syncedDeal({ pending: true }));
    let waitedMs = 0;
    const store = createDealStore({
      api,
      dealId: 4242,
      wait: async (ms) => {
        waitedMs += ms;
      },
    });

    await store.load();

    expect(waitedMs).toBe(10 * 60 * 1000);
    expect(calls.getDeal).toBe(1 + 300);
    expect(store.syncPhase.value).toBe("idle");
  });
});
