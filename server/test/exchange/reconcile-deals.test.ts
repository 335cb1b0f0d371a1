import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { startStand, type Stand } from "../../../scripts/stand/start-stand.js";
import type { AmocrmApi } from "../../src/amocrm/api-types.js";
import type { DealState } from "../../src/exchange/deal-state-repository.js";
import { reconcileDeals } from "../../src/exchange/reconcile-deals.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { ranSince, waitForDeal } from "../acceptance/stand-client.js";
import { captureLog } from "../helpers/capture-log.js";

let stand: Stand;

beforeAll(async () => {
  stand = await startStand({ queue: { debounceMs: 100, pollMs: 50 } });
});
afterAll(async () => stand?.stop());

test("a deal whose webhook never arrived is synced by the next reconciliation", async () => {
  // Unsubscribe amo1c, as amoCRM does when it disables a failing webhook.
  const token = stand.amocrm.issueLongLivedToken(
    new Date(Date.now() + 86_400_000),
  );
  const unsubscribe = await fetch(`${stand.amocrm.url}/api/v4/webhooks`, {
    method: "DELETE",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ destination: await stand.amo1c.webhookUrl() }),
  });
  expect(unsubscribe.status).toBeLessThan(300);

  const contact = stand.amocrm.createContact({ name: "Без вебхука" });
  const since = new Date().toISOString();
  const dealId = stand.amocrm.createLead({
    name: "Пропущенная",
    price: 64,
    contacts: [{ id: contact, is_main: true }],
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(
    stand.amocrm
      .webhookDeliveries()
      .filter((d) => d.body.includes(String(dealId))),
  ).toEqual([]);

  const queued = await stand.amo1c.reconcile();
  expect(queued).toBeGreaterThanOrEqual(1);
  const view = await waitForDeal(stand, dealId, ranSince(since, "ok"));
  expect(view.lastRun?.trigger).toBe("reconcile");
  expect(view.order?.sum).toBe(64);
});

describe("which changed deals a pass queues", () => {
  const changedAt = 1_800_000_000;
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

  function pass(states: Record<number, Partial<DealState>>, backfill = false) {
    const queued: number[] = [];
    const amocrm = {
      listLeadsUpdatedSince: () =>
        Promise.resolve(
          [1, 2, 3, 4, 5].map((id) => ({ id, updatedAt: changedAt })),
        ),
      listLinkEvents: () =>
        Promise.resolve([
          { entityType: "lead", entityId: 5, createdAt: changedAt + 20 },
        ]),
    } as unknown as AmocrmApi;
    const queue = {
      enqueue: (dealId: number) => {
        queued.push(dealId);
        return Promise.resolve();
      },
    } as unknown as JobQueue;
    const values = new Map<string, unknown>();
    return reconcileDeals({
      amocrm,
      queue,
      settings: {
        readValue: (key) => Promise.resolve(values.get(key)),
        writeValue: (key, value) =>
          Promise.resolve(void values.set(key, value)),
      },
      states: {
        get: (dealId) =>
          Promise.resolve((states[dealId] as DealState | undefined) ?? null),
      },
      log: captureLog("fatal").log,
      sinceSeconds: backfill ? changedAt - 100 : undefined,
      now: () => (changedAt + 60) * 1000,
    }).then((count) => ({ count, queued }));
  }

  const states = {
    // Synced after the change: fresh.
    1: { last_status: "ok", last_run_at: iso(changedAt + 10) },
    // Synced before it, or failed after it: stale.
    2: { last_status: "ok", last_run_at: iso(changedAt - 10) },
    3: { last_status: "failed", last_run_at: iso(changedAt + 10) },
    // 4: never synced. 5: a contact linked after its last run.
    5: { last_status: "ok", last_run_at: iso(changedAt + 10) },
  };

  test("leaves out a deal whose last successful run started after its change", async () => {
    const { count, queued } = await pass(states);
    expect(queued.sort()).toEqual([2, 3, 4, 5]);
    expect(count).toBe(4);
  });

  test("a run in the same second as the change may have read it before", async () => {
    const { queued } = await pass({
      1: { last_status: "ok", last_run_at: iso(changedAt) },
    });
    expect(queued).toContain(1);
  });

  test("a backfill queues every changed deal, synced or not", async () => {
    const { queued } = await pass(states, true);
    expect(queued.sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
