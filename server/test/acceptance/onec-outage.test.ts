import { afterAll, beforeAll, expect, test } from "vitest";

import { startStand, type Stand } from "../../../scripts/stand/start-stand.js";
import { onecList, ranSince, readMetric, waitForDeal } from "./stand-client.js";

const OUTAGE_MS = 60_000;
const DEALS = 10;

let stand: Stand;

beforeAll(async () => {
  // Production backoff (2 s base, doubling); a short debounce only.
  stand = await startStand({ queue: { debounceMs: 200, pollMs: 100 } });
});
afterAll(async () => stand?.stop());

test("1C down for a minute delays the runs and loses none", async () => {
  stand.onec.setDown(true);
  const since = new Date().toISOString();
  const dealIds: number[] = [];
  for (let i = 0; i < DEALS; i++) {
    const contact = stand.amocrm.createContact({ name: `Ожидающий ${i}` });
    dealIds.push(
      stand.amocrm.createLead({
        name: `Простой ${i}`,
        price: 1000 + i,
        contacts: [{ id: contact, is_main: true }],
      }),
    );
  }

  for (const dealId of dealIds) {
    const view = await waitForDeal(
      stand,
      dealId,
      (v) => v.lastRun?.status === "waiting",
    );
    expect(view.lastRun?.errorSource).toBe("onec");
  }
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  stand.onec.setDown(false);

  for (const dealId of dealIds) {
    const view = await waitForDeal(
      stand,
      dealId,
      ranSince(since, "ok"),
      90_000,
    );
    expect(view.order?.sum).toBe(1000 + dealIds.indexOf(dealId));
  }
  const orders = onecList(stand, "Document_ЗаказКлиента").filter((o) =>
    /amo1c:lead:/.test(String(o["Комментарий"])),
  );
  expect(orders).toHaveLength(DEALS);
  // What an operator sees: the outage cost retries, and no job gave up.
  expect(await readMetric(stand, 'amo1c_jobs{state="failed"}')).toBe(0);
  expect(await readMetric(stand, 'amo1c_jobs{state="queued"}')).toBe(0);
  expect(
    await readMetric(stand, 'amo1c_job_runs_total{outcome="retry"}'),
  ).toBeGreaterThan(0);
}, 240_000);
