import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import type { AmocrmApi } from "../../src/amocrm/api-types.js";
import {
  connectWithCode,
  startTestConnection,
  type TestConnection,
} from "./helpers/start-test-connection.js";

const INN_FIELD = 7300203;
const KPP_FIELD = 7300204;

let emulator: AmocrmEmulator;
let test: TestConnection;
let api: AmocrmApi;

beforeAll(async () => {
  emulator = await startAmocrmEmulator({ rateLimitPerSecond: 0 });
  test = await startTestConnection({ emulator, rateLimitPerSecond: 1000 });
  await connectWithCode(test, emulator);
  api = test.connection.api;
});

afterAll(async () => {
  await test.close();
  await emulator.stop();
});

describe("createAmocrmApi", () => {
  it("reads a lead with its contacts, main contact and company", async () => {
    const lead = await api.getLead(1100001);

    expect(lead).toMatchObject({
      id: 1100001,
      name: "Поставка оборудования для «Вектора»",
      price: 150000,
      contacts: [
        { id: 2100001, isMain: true },
        { id: 2100002, isMain: false },
      ],
      companyId: 3100001,
      isDeleted: false,
    });
    expect(lead?.customFields).toEqual([
      {
        fieldId: 7300001,
        fieldCode: null,
        values: [{ value: "Д-2025/017", enumCode: null }],
      },
    ]);
  });

  it("reads custom_fields_values: null as no fields", async () => {
    expect((await api.getLead(1100002))?.customFields).toEqual([]);
    const [company] = await api.getCompanies([3100003]);
    expect(company).toMatchObject({
      name: "АО «Без реквизитов»",
      customFields: [],
      phones: [],
    });
  });

  it("answers null for a lead amoCRM answers with 204", async () => {
    expect(await api.getLead(999_999)).toBeNull();
  });

  it("reads contacts with phones and e-mails", async () => {
    const contacts = await api.getContacts([2100001, 2100004]);

    expect(contacts.map((c) => c.id).sort()).toEqual([2100001, 2100004]);
    expect(contacts.find((c) => c.id === 2100001)).toMatchObject({
      name: "Иван Петров",
      firstName: "Иван",
      lastName: "Петров",
      phones: ["+7 916 000-11-22", "+7 495 123-45-68"],
      emails: ["i.petrov@vektor.example"],
    });
  });

  it("reads more than 250 contacts in batches of at most 250 ids", async () => {
    const ids = Array.from({ length: 260 }, (_, i) =>
      emulator.createContact({ name: `Контакт ${i}` }),
    );
    emulator.clearRequests();

    const contacts = await api.getContacts(ids);

    expect(contacts).toHaveLength(260);
    const urls = emulator.requests().map((r) => r.url);
    expect(urls).toHaveLength(2);
    expect(
      urls.map(
        (u) =>
          (u.match(/filter%5Bid%5D%5B%5D=|filter\[id\]\[\]=/g) ?? []).length,
      ),
    ).toEqual([250, 10]);
  });

  it("follows _links.next through every page of updated leads", async () => {
    const since = emulator.state().leads[0]?.updated_at ?? 0;
    for (let i = 0; i < 255; i += 1)
      emulator.createLead({ name: `Сделка ${i}` });
    emulator.clearRequests();

    const ids = await api.listLeadIdsUpdatedSince(since);

    expect(ids.length).toBeGreaterThanOrEqual(258);
    expect(new Set(ids).size).toBe(ids.length);
    const pages = emulator
      .requests()
      .map((r) => new URL(r.url, emulator.url).searchParams.get("page"));
    expect(pages).toEqual([null, "2"]);
  });

  it("creates a company with INN and KPP and links it to a lead", async () => {
    const companyId = await api.createCompany({
      name: "ООО «Новая»",
      textFields: { [INN_FIELD]: "7701234567", [KPP_FIELD]: "770101001" },
    });
    await api.linkCompanyToLead(1100003, companyId);

    const [company] = await api.getCompanies([companyId]);
    expect(company?.customFields).toEqual([
      {
        fieldId: INN_FIELD,
        fieldCode: null,
        values: [{ value: "7701234567", enumCode: null }],
      },
      {
        fieldId: KPP_FIELD,
        fieldCode: null,
        values: [{ value: "770101001", enumCode: null }],
      },
    ]);
    expect((await api.getLead(1100003))?.companyId).toBe(companyId);
  });

  it("finds companies by a value of any field, and none on 204", async () => {
    const found = await api.findCompanies("7707083893");

    expect(found.map((c) => c.id)).toEqual([3100001]);
    expect(found[0]?.customFields).toContainEqual({
      fieldId: INN_FIELD,
      fieldCode: null,
      values: [{ value: "7707083893", enumCode: null }],
    });
    expect(await api.findCompanies("нет такой компании")).toEqual([]);
  });

  it("adds a common note to a lead", async () => {
    await api.addLeadNote(1100001, "Заказ покупателя № 17 создан в 1С");

    const note = emulator.state().notes.at(-1);
    expect(note).toMatchObject({
      entity_id: 1100001,
      note_type: "common",
      params: { text: "Заказ покупателя № 17 создан в 1С" },
    });
  });

  it("lists users with their admin and active flags", async () => {
    const users = await api.listUsers();

    expect(users).toEqual([
      {
        id: 8100001,
        name: "Анна Администраторова",
        isAdmin: true,
        isActive: true,
      },
      { id: 8100002, name: "Борис Менеджеров", isAdmin: false, isActive: true },
      { id: 8100003, name: "Вера Уволенная", isAdmin: false, isActive: false },
    ]);
  });

  it("lists contact and company link events since a time", async () => {
    const since = Math.floor(Date.now() / 1000) - 5;
    emulator.updateLead(1100002, {
      contacts: [{ id: 2100004, is_main: true }],
      companyId: null,
    });

    const events = await api.listLinkEvents(since);

    const summary = events
      .map((e) => `${e.type} ${e.entityType} ${e.entityId}`)
      .sort();
    expect(summary).toEqual(
      expect.arrayContaining([
        "company_unlinked lead 1100002",
        "contact_linked lead 1100002",
        "contact_unlinked lead 1100002",
      ]),
    );
  });

  it("subscribes a webhook destination to events", async () => {
    await api.subscribeWebhook(
      "https://amo1c.example.com/amocrm/webhooks/s3cret",
      ["update_lead", "status_lead"],
    );

    expect(emulator.state().webhooks.at(-1)).toMatchObject({
      destination: "https://amo1c.example.com/amocrm/webhooks/s3cret",
      settings: ["update_lead", "status_lead"],
    });
  });

  it("lists the webhook subscriptions", async () => {
    emulator.subscribeWebhook("https://amo1c.example.com/hooks/listed", [
      "add_lead",
    ]);

    expect(await api.listWebhooks()).toContainEqual({
      id: expect.any(Number),
      destination: "https://amo1c.example.com/hooks/listed",
      settings: ["add_lead"],
      disabled: false,
    });
  });

  it("reads the account", async () => {
    expect(await api.getAccount()).toEqual({
      id: emulator.accountId,
      name: "ООО «Ромашка»",
      subdomain: "acme",
    });
  });
});
