import { afterAll, beforeAll, expect, test } from "vitest";

import { startStand, type Stand } from "../../../scripts/stand/start-stand.js";
import {
  onecList,
  ranSince,
  waitForDeal,
  waitForRuns,
} from "../acceptance/stand-client.js";

let stand: Stand;

beforeAll(async () => {
  stand = await startStand({
    queue: { debounceMs: 100, pollMs: 50, backoffBaseMs: 200 },
    exchange: { createCompaniesInAmocrm: true },
  });
  await chooseDealItem();
});
afterAll(async () => stand?.stop());

/** 1C books an order's sum on a goods row: the stand's base needs an item. */
async function chooseDealItem(): Promise<void> {
  const onec = await stand.amo1c.settings.onec();
  if (!onec || onec.dealItemRef) return;
  const [item] = onecList(stand, "Catalog_Номенклатура");
  await stand.amo1c.settings.put("onec", {
    ...onec,
    dealItemRef: String(item?.["Ref_Key"]),
  });
}

function companiesNamed(name: string) {
  return stand.amocrm.state().companies.filter((c) => c.name === name);
}

test("a failed link call is retried without creating a second amoCRM company", async () => {
  // Yandex's accountant: 1C holds the e-mail under ЯНДЕКС ООО (rule 4).
  const contact = stand.amocrm.createContact({
    name: "Бухгалтерия Яндекса",
    email: "buh@yandex-team.example",
  });
  const since = new Date().toISOString();
  const dealId = stand.amocrm.createLead({
    name: "Реклама",
    price: 300000,
    contacts: [{ id: contact, is_main: true }],
  });
  // A 500 on a POST is not repeated by the client: the run fails after
  // the company exists, and the queue's retry runs the deal again.
  stand.amocrm.injectFault({
    kind: "status500",
    count: 1,
    pathPrefix: `/api/v4/leads/${dealId}/link`,
  });

  await waitForDeal(stand, dealId, ranSince(since, "ok"));
  const runs = await waitForRuns(stand, dealId, 3);
  expect(runs.map((r) => [r.trigger, r.outcome])).toEqual([
    ["webhook", "waiting"],
    ["retry", "ok"],
    ["webhook", "ok"],
  ]);
  // amoCRM hooks amo1c's own link back: that run finds nothing to do.
  expect(runs[2]?.details.writes).toEqual([]);

  const companies = companiesNamed("ЯНДЕКС ООО");
  expect(companies).toHaveLength(1);
  const lead = stand.amocrm.state().leads.find((l) => l.id === dealId);
  expect(lead?.company_id).toBe(companies[0]?.id);
  const linkCalls = stand.amocrm
    .requests()
    .filter((r) => r.method === "POST" && r.path.endsWith(`${dealId}/link`));
  expect(linkCalls.map((r) => r.status)).toEqual([500, 200]);
});

test("a company amo1c created but did not record before a crash is linked, not made again", async () => {
  // Sberbank's switchboard: 1C holds the phone under Сбербанк ПАО (rule 4).
  const { innFieldId, kppFieldId } = await stand.amo1c.settings.exchange();
  // Older companies of the same name that `query` finds too: one holds the
  // INN only in its e-mail, one is another branch (same INN, other KPP).
  stand.amocrm.createCompany({
    name: "Сбербанк ПАО",
    email: "7707083893@sber.example",
  });
  stand.amocrm.createCompany({
    name: "Сбербанк ПАО",
    inn: "7707083893",
    kpp: "772801001",
  });
  // The crash: amo1c's own call created the company, the run died before
  // the link insert, so amo1c's links know nothing of it.
  const orphan = await stand.amo1c.amocrm.api.createCompany({
    name: "Сбербанк ПАО",
    textFields: { [innFieldId!]: "7707083893", [kppFieldId!]: "773601001" },
  });
  const companiesBefore = stand.amocrm.state().companies.length;
  stand.amocrm.clearRequests();
  const contact = stand.amocrm.createContact({
    name: "Приёмная Сбербанка",
    phone: "+7 495 500-55-50",
  });
  const since = new Date().toISOString();
  const dealId = stand.amocrm.createLead({
    name: "Эквайринг",
    price: 50000,
    contacts: [{ id: contact, is_main: true }],
  });

  const view = await waitForDeal(stand, dealId, ranSince(since, "ok"));
  expect(view.counterparty).toMatchObject({
    name: "Сбербанк ПАО",
    origin: "found",
  });
  const runs = await waitForRuns(stand, dealId, 2);
  expect(runs.map((r) => r.details.writes)).toEqual([
    [
      `1C contact person created from contact #${contact}`,
      expect.stringMatching(/^1C order .+ created$/),
      `amoCRM company #${orphan} linked to the deal`,
    ],
    // amoCRM hooks amo1c's own link back: that run finds nothing to do.
    [],
  ]);

  const state = stand.amocrm.state();
  expect(state.companies).toHaveLength(companiesBefore);
  expect(state.leads.find((l) => l.id === dealId)?.company_id).toBe(orphan);
  const companyCalls = stand.amocrm
    .requests()
    .filter((r) => r.path === "/api/v4/companies")
    .map((r) => `${r.method} ${decodeURIComponent(r.url)}`);
  expect(companyCalls).toEqual([
    "GET /api/v4/companies?query=7707083893&limit=250",
    // The second run reads the deal's company, now linked.
    `GET /api/v4/companies?filter[id][]=${orphan}&limit=250`,
  ]);
});
