import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";

import { startStand, type Stand } from "../../../scripts/stand/start-stand.js";
import {
  onecList,
  ranSince,
  resync,
  waitForDeal,
  waitForRuns,
} from "./stand-client.js";

const FAST_QUEUE = { debounceMs: 300, pollMs: 50, backoffBaseMs: 200 };

let stand: Stand;

beforeAll(async () => {
  stand = await startStand({
    queue: FAST_QUEUE,
    exchange: { createCompaniesInAmocrm: true },
  });
});
afterAll(async () => stand?.stop());
afterEach(() => {
  stand.onec.clearFaults();
  stand.onec.setDown(false);
});

function counterpartiesNamed(name: string) {
  return onecList(stand, "Catalog_Контрагенты").filter(
    (c) => c["Description"] === name,
  );
}

function contactPersonsOf(partnerRef: unknown) {
  return onecList(stand, "Catalog_КонтактныеЛицаПартнеров").filter(
    (p) => p["Owner_Key"] === partnerRef,
  );
}

function amocrmCompanyCount(): number {
  return stand.amocrm.state().companies.length;
}

function ordersOfDeal(dealId: number) {
  return onecList(stand, "Document_ЗаказКлиента").filter((o) =>
    String(o["Комментарий"]).includes(`amo1c:lead:${dealId}]`),
  );
}

describe("a deal with only a contact, then another contact", () => {
  test("makes a counterparty per contact and moves the order, never mixing them", async () => {
    const companiesBefore = amocrmCompanyCount();
    const ivanov = stand.amocrm.createContact({
      name: "Иванов И.И.",
      phone: "+7 916 111-22-33",
    });
    const since = new Date().toISOString();
    const dealId = stand.amocrm.createLead({
      name: "Ремонт кофемашины",
      price: 4500,
      contacts: [{ id: ivanov, is_main: true }],
    });

    const first = await waitForDeal(stand, dealId, ranSince(since, "ok"));
    expect(first.counterparty).toMatchObject({
      name: "Иванов И.И.",
      origin: "contact",
      inn: null,
    });
    expect(first.contactPerson).toMatchObject({ name: "Иванов И.И." });
    expect(first.order).toMatchObject({ sum: 4500 });

    const [ivanovCounterparty] = counterpartiesNamed("Иванов И.И.");
    expect(ivanovCounterparty).toMatchObject({ ЮрФизЛицо: "ФизЛицо" });
    const [order] = ordersOfDeal(dealId);
    expect(order).toMatchObject({
      Контрагент_Key: ivanovCounterparty?.["Ref_Key"],
      Posted: false,
    });

    const fedorov = stand.amocrm.createContact({
      name: "Федоров С.А.",
      email: "fedorov@example.ru",
    });
    const since2 = new Date().toISOString();
    stand.amocrm.updateLead(dealId, {
      contacts: [{ id: fedorov, is_main: true }],
    });

    const second = await waitForDeal(stand, dealId, ranSince(since2, "ok"));
    expect(second.counterparty).toMatchObject({
      name: "Федоров С.А.",
      origin: "contact",
    });
    expect(second.contactPerson).toMatchObject({ name: "Федоров С.А." });

    const [fedorovCounterparty] = counterpartiesNamed("Федоров С.А.");
    const orders = ordersOfDeal(dealId);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      Ref_Key: order?.["Ref_Key"],
      Контрагент_Key: fedorovCounterparty?.["Ref_Key"],
      Партнер_Key: fedorovCounterparty?.["Партнер_Key"],
      КонтактноеЛицо_Key: second.contactPerson?.ref,
    });

    // Ivanov's counterparty stays as it was and gets no Fedorov.
    expect(counterpartiesNamed("Иванов И.И.")).toHaveLength(1);
    const ivanovPersons = contactPersonsOf(ivanovCounterparty?.["Партнер_Key"]);
    expect(ivanovPersons.map((p) => p["Description"])).toEqual(["Иванов И.И."]);

    // Made from contacts: no amoCRM company for either, even with the setting on.
    const lead = stand.amocrm.state().leads.find((l) => l.id === dealId);
    expect(lead?.company_id ?? null).toBeNull();
    expect(amocrmCompanyCount()).toBe(companiesBefore);
  });

  test("a new contact sharing the earlier contact's phone still gets its own counterparty", async () => {
    const phone = "+7 916 555-44-33";
    const petrov = stand.amocrm.createContact({ name: "Петров П.П.", phone });
    const since = new Date().toISOString();
    const dealId = stand.amocrm.createLead({
      name: "Общий телефон",
      price: 700,
      contacts: [{ id: petrov, is_main: true }],
    });
    await waitForDeal(stand, dealId, ranSince(since, "ok"));
    const [petrovCounterparty] = counterpartiesNamed("Петров П.П.");

    const petrova = stand.amocrm.createContact({ name: "Петрова А.П.", phone });
    const since2 = new Date().toISOString();
    stand.amocrm.updateLead(dealId, {
      contacts: [{ id: petrova, is_main: true }],
    });
    const view = await waitForDeal(stand, dealId, ranSince(since2, "ok"));

    expect(view.counterparty).toMatchObject({
      name: "Петрова А.П.",
      origin: "contact",
    });
    expect(counterpartiesNamed("Петрова А.П.")).toHaveLength(1);
    const persons = contactPersonsOf(petrovCounterparty?.["Партнер_Key"]);
    expect(persons.map((p) => p["Description"])).toEqual(["Петров П.П."]);
  });
});

describe("a deal with a company", () => {
  test("takes the counterparty 1C already has with the company's INN", async () => {
    const before = onecList(stand, "Catalog_Контрагенты").length;
    const company = stand.amocrm.createCompany({
      name: "Сбер (amoCRM)",
      inn: "7707083893",
      kpp: "773601001",
    });
    const person = stand.amocrm.createContact({
      name: "Смирнов Олег",
      email: "o.smirnov@sber.example",
    });
    const since = new Date().toISOString();
    const dealId = stand.amocrm.createLead({
      name: "Зарплатный проект",
      price: 125000,
      companyId: company,
      contacts: [{ id: person, is_main: true }],
    });

    const view = await waitForDeal(stand, dealId, ranSince(since, "ok"));
    expect(view.counterparty).toMatchObject({
      name: "Сбербанк ПАО",
      inn: "7707083893",
      origin: "found",
    });
    expect(onecList(stand, "Catalog_Контрагенты")).toHaveLength(before);

    const sber = onecList(stand, "Catalog_Контрагенты").find(
      (c) => c["ИНН"] === "7707083893",
    );
    const persons = contactPersonsOf(sber?.["Партнер_Key"]).map(
      (p) => p["Description"],
    );
    expect(persons).toContain("Смирнов Олег");
    expect(ordersOfDeal(dealId)[0]).toMatchObject({
      Контрагент_Key: sber?.["Ref_Key"],
      СуммаДокумента: 125000,
    });
  });

  test("creates partner and legal-entity counterparty for a new INN, every contact its person", async () => {
    const company = stand.amocrm.createCompany({
      name: 'ООО "Ромашка" (O\'Brien & Co)',
      inn: "7701234567",
    });
    const a = stand.amocrm.createContact({
      name: "Patrick O'Brien",
      email: "pat@obrien.example",
    });
    const b = stand.amocrm.createContact({
      name: "Кузнецова «Ёлка» Алёна 🌲",
      phone: "+7 926 300-00-05",
    });
    const since = new Date().toISOString();
    const dealId = stand.amocrm.createLead({
      name: "Поставка",
      price: 87500.5,
      companyId: company,
      contacts: [
        { id: a, is_main: false },
        { id: b, is_main: true },
      ],
    });

    const view = await waitForDeal(stand, dealId, ranSince(since, "ok"));
    expect(view.counterparty).toMatchObject({
      name: 'ООО "Ромашка" (O\'Brien & Co)',
      origin: "company",
    });
    expect(view.contactPerson?.name).toBe("Кузнецова «Ёлка» Алёна 🌲");

    const [created] = counterpartiesNamed('ООО "Ромашка" (O\'Brien & Co)');
    expect(created).toMatchObject({ ИНН: "7701234567", ЮрФизЛицо: "ЮрЛицо" });
    const partner = onecList(stand, "Catalog_Партнеры").find(
      (p) => p["Ref_Key"] === created?.["Партнер_Key"],
    );
    expect(partner).toMatchObject({ ЮрФизЛицо: "Компания" });
    const persons = contactPersonsOf(created?.["Партнер_Key"])
      .map((p) => p["Description"])
      .sort();
    expect(persons).toEqual(
      ["Patrick O'Brien", "Кузнецова «Ёлка» Алёна 🌲"].sort(),
    );
  });
});

describe("companies back into amoCRM", () => {
  test("a contact found in 1C as a company's contact gives the deal that company", async () => {
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

    const view = await waitForDeal(stand, dealId, ranSince(since, "ok"));
    expect(view.counterparty).toMatchObject({
      name: "ЯНДЕКС ООО",
      inn: "7736207543",
      origin: "found",
    });
    // amoCRM hooks amo1c's own link back (leads[update]): that second run
    // has nothing changed, so it writes nothing (rule 5).
    const runs = await waitForRuns(stand, dealId, 2);
    expect(runs.map((r) => [r.trigger, r.outcome])).toEqual([
      ["webhook", "ok"],
      ["webhook", "ok"],
    ]);
    expect(runs[1]?.details.writes).toEqual([]);

    const state = stand.amocrm.state();
    const lead = state.leads.find((l) => l.id === dealId);
    const company = state.companies.find((c) => c.id === lead?.company_id);
    expect(company?.name).toBe("ЯНДЕКС ООО");
    expect(state.companies.filter((c) => c.name === "ЯНДЕКС ООО")).toHaveLength(
      1,
    );
    expect(JSON.stringify(company?.custom_fields_values)).toContain(
      "7736207543",
    );
  });
});

describe("runs that write nothing", () => {
  test("with the create setting off, a contact-only deal gets no counterparty and says why", async () => {
    await stand.amo1c.settings.put("exchange", {
      ...(await stand.amo1c.settings.exchange()),
      createCounterpartiesFromContacts: false,
    });
    try {
      const contact = stand.amocrm.createContact({
        name: "Новиков Михаил",
        phone: "+7 917 000-99-88",
      });
      const since = new Date().toISOString();
      const dealId = stand.amocrm.createLead({
        name: "Без создания",
        price: 10,
        contacts: [{ id: contact, is_main: true }],
      });

      const view = await waitForDeal(stand, dealId, ranSince(since));
      expect(view.lastRun).toMatchObject({ status: "skipped" });
      expect(view.lastRun?.message).toMatch(
        /Create counterparties when loading deals/,
      );
      expect(view.counterparty).toBeNull();
      expect(ordersOfDeal(dealId)).toHaveLength(0);
      expect(counterpartiesNamed("Новиков Михаил")).toHaveLength(0);

      // Even a contact 1C knows (Yandex's accountant, as in the rule 4
      // test) gets nothing: no counterparty, no order, no amoCRM company.
      const companiesBefore = amocrmCompanyCount();
      const known = stand.amocrm.createContact({
        name: "Бухгалтерия Яндекса (выкл.)",
        email: "buh@yandex-team.example",
      });
      const since2 = new Date().toISOString();
      const knownDeal = stand.amocrm.createLead({
        name: "Без создания, известный контакт",
        price: 11,
        contacts: [{ id: known, is_main: true }],
      });
      const knownView = await waitForDeal(stand, knownDeal, ranSince(since2));
      expect(knownView.lastRun).toMatchObject({ status: "skipped" });
      expect(knownView.lastRun?.message).toMatch(
        /Create counterparties when loading deals/,
      );
      expect(knownView.counterparty).toBeNull();
      expect(ordersOfDeal(knownDeal)).toHaveLength(0);
      expect(amocrmCompanyCount()).toBe(companiesBefore);
    } finally {
      await stand.amo1c.settings.put("exchange", {
        ...(await stand.amo1c.settings.exchange()),
        createCounterpartiesFromContacts: true,
      });
    }
  });

  test("a deal with neither company nor contact, and a deleted deal, are recorded without writes", async () => {
    const since = new Date().toISOString();
    const empty = stand.amocrm.createLead({ name: "Пустая", price: 1 });
    const emptyView = await waitForDeal(stand, empty, ranSince(since));
    expect(emptyView.lastRun).toMatchObject({ status: "skipped" });
    expect(ordersOfDeal(empty)).toHaveLength(0);

    const contact = stand.amocrm.createContact({ name: "Удаляемый" });
    const gone = stand.amocrm.createLead({
      name: "Удаляемая",
      price: 5,
      contacts: [{ id: contact, is_main: true }],
    });
    await waitForDeal(stand, gone, ranSince(since, "ok"));
    const since2 = new Date().toISOString();
    stand.amocrm.updateLead(gone, { deleted: true });
    const goneView = await waitForDeal(stand, gone, ranSince(since2));
    expect(goneView.lastRun?.message).toMatch(/deleted/);
  });

  test("an unchanged re-sync sends no write to 1C and keeps one of everything", async () => {
    const contact = stand.amocrm.createContact({
      name: "Дважды Синхронизированный",
      phone: "+7 900 123-45-67",
    });
    const since = new Date().toISOString();
    const dealId = stand.amocrm.createLead({
      name: "Дважды",
      price: 777,
      contacts: [{ id: contact, is_main: true }],
    });
    await waitForDeal(stand, dealId, ranSince(since, "ok"));

    stand.onec.clearRequests();
    const again = await resync(stand, dealId);
    expect(again).toMatchObject({
      outcome: "done",
      deal: { lastRun: { status: "ok", trigger: "manual" } },
    });
    const writes = stand.onec.requests().filter((r) => r.method !== "GET");
    expect(writes).toEqual([]);

    expect(counterpartiesNamed("Дважды Синхронизированный")).toHaveLength(1);
    expect(ordersOfDeal(dealId)).toHaveLength(1);
  });

  test("a changed price updates only the order's sum", async () => {
    const contact = stand.amocrm.createContact({ name: "Цена Меняется" });
    const since = new Date().toISOString();
    const dealId = stand.amocrm.createLead({
      name: "Цена",
      price: 100,
      contacts: [{ id: contact, is_main: true }],
    });
    await waitForDeal(stand, dealId, ranSince(since, "ok"));

    stand.onec.clearRequests();
    const since2 = new Date().toISOString();
    stand.amocrm.updateLead(dealId, { price: 250.75 });
    const view = await waitForDeal(stand, dealId, ranSince(since2, "ok"));
    expect(view.order?.sum).toBe(250.75);

    const writes = stand.onec.requests().filter((r) => r.method !== "GET");
    expect(writes.map((w) => w.method)).toEqual(["PATCH"]);
    expect(ordersOfDeal(dealId)[0]?.["СуммаДокумента"]).toBe(250.75);
  });
});

describe("webhook bursts and outages", () => {
  test("1C down delays the run, which then completes", async () => {
    stand.onec.setDown(true);
    const contact = stand.amocrm.createContact({ name: "Ждёт 1С" });
    const since = new Date().toISOString();
    const dealId = stand.amocrm.createLead({
      name: "Ожидание",
      price: 42,
      contacts: [{ id: contact, is_main: true }],
    });

    const waiting = await waitForDeal(
      stand,
      dealId,
      (v) => v.lastRun?.status === "waiting",
    );
    expect(waiting.lastRun).toMatchObject({ errorSource: "onec" });
    expect(ordersOfDeal(dealId)).toHaveLength(0);

    stand.onec.setDown(false);
    const done = await waitForDeal(
      stand,
      dealId,
      ranSince(since, "ok"),
      30_000,
    );
    expect(done.order?.sum).toBe(42);
    expect(ordersOfDeal(dealId)).toHaveLength(1);
  });

  test("a 1C business refusal fails the run at once with 1C's message", async () => {
    stand.onec.injectFault({
      kind: "business_refusal",
      count: 1,
      method: "POST",
      entitySet: "Document_ЗаказКлиента",
      message: "Не заполнено поле «Соглашение»",
    });
    const contact = stand.amocrm.createContact({ name: "Отказ 1С" });
    const since = new Date().toISOString();
    const dealId = stand.amocrm.createLead({
      name: "Отказ",
      price: 9,
      contacts: [{ id: contact, is_main: true }],
    });

    const view = await waitForDeal(stand, dealId, ranSince(since, "failed"));
    expect(view.lastRun).toMatchObject({
      errorSource: "onec",
      errorCode: "onec_business_error",
    });
    expect(view.lastRun?.message).toContain("Не заполнено поле «Соглашение»");
  });
});

describe("the debounce window", () => {
  test("50 webhooks for one deal within 2 s make one run", async () => {
    // The default 3 s window, as in production.
    const burstStand = await startStand({ queue: { pollMs: 50 } });
    try {
      const contact = burstStand.amocrm.createContact({
        name: "Частые Правки",
      });
      const dealId = burstStand.amocrm.createLead({
        name: "Частые",
        price: 0,
        contacts: [{ id: contact, is_main: true }],
      });
      const since = new Date().toISOString();
      for (let i = 1; i <= 50; i++) {
        burstStand.amocrm.updateLead(dealId, { price: i });
        await new Promise((r) => setTimeout(r, 30));
      }
      const view = await waitForDeal(burstStand, dealId, ranSince(since, "ok"));
      expect(view.order?.sum).toBe(50);

      const leadReads = burstStand.amocrm
        .requests()
        .filter(
          (r) =>
            r.method === "GET" && r.path.startsWith(`/api/v4/leads/${dealId}`),
        );
      expect(leadReads).toHaveLength(1);
      expect(
        burstStand.amocrm.webhookDeliveries().length,
      ).toBeGreaterThanOrEqual(51);
    } finally {
      await burstStand.stop();
    }
  });
});
