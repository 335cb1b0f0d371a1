import { afterAll, beforeAll, expect, test } from "vitest";

import { startStand, type Stand } from "../../../scripts/stand/start-stand.js";
import { ranSince, waitForDeal } from "../acceptance/stand-client.js";

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
