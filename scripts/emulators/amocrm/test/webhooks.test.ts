import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import express from "express";
import qs from "qs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startAmocrmEmulator } from "../start-amocrm-emulator.js";
import type { AmocrmEmulator } from "../start-amocrm-emulator.js";
import { authorize, call } from "./helpers/amo-client.js";

interface Received {
  contentType: string;
  raw: string;
  parsed: Record<string, unknown>;
}

// Custom field values nest 6 levels deep; qs stops at 5 by default.
const QS_DEPTH = 10;

let emulator: AmocrmEmulator;
let listener: Server;
let received: Received[];
let answerStatuses: number[];
let hookUrl: string;

beforeEach(async () => {
  received = [];
  answerStatuses = [];
  const app = express();
  app.post("/amocrm/webhook", express.text({ type: "*/*" }), (req, res) => {
    const raw = String(req.body);
    received.push({
      contentType: req.get("content-type") ?? "",
      raw,
      parsed: qs.parse(raw, { depth: QS_DEPTH }),
    });
    res.status(answerStatuses.shift() ?? 200).end();
  });
  listener = await new Promise<Server>((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
  hookUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/amocrm/webhook`;
  emulator = await startAmocrmEmulator();
});

afterEach(async () => {
  await emulator.stop();
  await new Promise((resolve) => listener.close(resolve));
});

async function waitFor(count: number, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (received.length < count && Date.now() < deadline) await sleep(10);
}

describe("webhooks", () => {
  it("posts leads[update] form data with PHP-style keys and the account", async () => {
    emulator.subscribeWebhook(hookUrl, ["update_lead"]);
    emulator.updateLead(1100001, { name: "Поставка станков", price: 175000 });
    await waitFor(1);

    const hook = received[0]!;
    expect(hook.contentType).toBe("application/x-www-form-urlencoded");
    expect(hook.raw).toContain(encodeURIComponent("leads[update][0][id]"));
    expect(hook.parsed).toMatchObject({
      leads: {
        update: [
          {
            id: "1100001",
            name: "Поставка станков",
            price: "175000",
            status_id: "7200002",
            pipeline_id: "7100001",
            account_id: String(emulator.accountId),
            last_modified: expect.stringMatching(/^\d+$/),
            custom_fields: [
              {
                id: "7300001",
                name: "Номер договора",
                values: [{ value: "Д-2025/017" }],
              },
            ],
          },
        ],
      },
      account: {
        id: String(emulator.accountId),
        subdomain: "acme",
        _links: { self: "https://acme.amocrm.ru" },
      },
    });
  });

  it("sends leads[update] when the admin relinks a lead's contacts", async () => {
    emulator.subscribeWebhook(hookUrl, ["update_lead"]);
    const contactId = emulator.createContact({
      name: "Олег Новиков",
      phone: "+7 999 111-22-33",
    });
    emulator.updateLead(1100003, {
      contacts: [{ id: contactId, is_main: true }],
    });
    await waitFor(1);

    expect(received).toHaveLength(1);
    expect(received[0]!.parsed).toMatchObject({
      leads: { update: [{ id: "1100003" }] },
    });
  });

  it("sends contact changes with type=contact and linked_leads_id keyed by lead id", async () => {
    emulator.subscribeWebhook(hookUrl, ["update_contact"]);
    emulator.updateContact(2100003, { phone: "+7 903 555-00-02" });
    await waitFor(1);

    expect(received[0]!.raw).toContain(
      encodeURIComponent("contacts[update][0][linked_leads_id][1100002][ID]") +
        "=1100002",
    );
    expect(received[0]!.parsed).toMatchObject({
      contacts: {
        update: [
          {
            id: "2100003",
            type: "contact",
            custom_fields: [
              {
                code: "PHONE",
                values: [{ value: "+7 903 555-00-02", enum: "7400101" }],
              },
            ],
          },
        ],
      },
    });
  });

  it("sends companies under contacts[...] with type=company", async () => {
    emulator.subscribeWebhook(hookUrl, ["add_company"]);
    const id = emulator.createCompany({
      name: "ООО «Север»",
      inn: "7801234567",
      kpp: "780101001",
    });
    await waitFor(1);

    expect(received[0]!.parsed).toMatchObject({
      contacts: {
        add: [{ id: String(id), type: "company", name: "ООО «Север»" }],
      },
    });
  });

  it("ignores events a subscription did not ask for", async () => {
    emulator.subscribeWebhook(hookUrl, ["add_lead"]);
    emulator.updateLead(1100001, { price: 1 });
    emulator.createLead({ name: "Новая сделка" });
    await waitFor(1);
    await sleep(50);

    expect(received).toHaveLength(1);
    expect(received[0]!.parsed).toHaveProperty("leads.add");
  });

  it("sends leads[status] with the old stage next to leads[update] in one POST", async () => {
    emulator.subscribeWebhook(hookUrl, ["update_lead", "status_lead"]);
    emulator.updateLead(1100001, { statusId: 142 });
    await waitFor(1);
    await sleep(50);

    expect(received).toHaveLength(1);
    expect(received[0]!.parsed).toMatchObject({
      leads: {
        update: [{ id: "1100001", status_id: "142" }],
        status: [
          {
            id: "1100001",
            status_id: "142",
            old_status_id: "7200002",
            old_pipeline_id: "7100001",
          },
        ],
      },
    });
  });

  it("sends update_company when the admin changes a company over HTTP", async () => {
    emulator.subscribeWebhook(hookUrl, ["update_company"]);
    const reply = await call(emulator, "/__admin/companies/3100003", {
      method: "PATCH",
      body: { inn: "7712345678", kpp: "771201001" },
    });
    expect(reply.status).toBe(204);
    await waitFor(1);

    expect(received[0]!.parsed).toMatchObject({
      contacts: {
        update: [
          {
            id: "3100003",
            type: "company",
            custom_fields: [
              { id: "7300203", name: "ИНН", values: [{ value: "7712345678" }] },
              { id: "7300204", name: "КПП", values: [{ value: "771201001" }] },
            ],
          },
        ],
      },
    });
  });

  it("answers 404 JSON for an admin change of a missing lead", async () => {
    const reply = await call(emulator, "/__admin/leads/1", {
      method: "PATCH",
      body: { price: 1 },
    });
    expect(reply).toMatchObject({
      status: 404,
      json: { error: "lead 1 not found" },
    });
  });

  it("records a failed delivery and retries it once a second later", async () => {
    answerStatuses = [500, 500, 500];
    emulator.subscribeWebhook(hookUrl, ["update_lead"]);
    emulator.updateLead(1100001, { price: 2 });
    await waitFor(2);
    await sleep(1200);

    expect(received).toHaveLength(2);
    expect(
      emulator.webhookDeliveries().map((d) => [d.status, d.attempt]),
    ).toEqual([
      [500, 1],
      [500, 2],
    ]);
  });

  it("accepts subscriptions over the API", async () => {
    const token = (await authorize(emulator)).access_token;
    const added = await call(emulator, "/api/v4/webhooks", {
      token,
      method: "POST",
      body: { destination: hookUrl, settings: ["update_lead"] },
    });
    expect(added.json).toMatchObject({
      destination: hookUrl,
      settings: ["update_lead"],
      disabled: false,
    });

    emulator.updateLead(1100002, { name: "Обслуживание" });
    await waitFor(1);
    expect(received).toHaveLength(1);

    const removed = await call(emulator, "/api/v4/webhooks", {
      token,
      method: "DELETE",
      body: { destination: hookUrl },
    });
    expect(removed.status).toBe(204);
    const listed = await call(emulator, "/api/v4/webhooks", { token });
    expect(listed.json).toMatchObject({ _total_items: 0 });
  });
});

describe("webhooks for changes made through the API", () => {
  let token: string;
  beforeEach(async () => {
    token = (await authorize(emulator)).access_token;
  });

  it("sends contacts[add] with type=company for a company created over the API", async () => {
    emulator.subscribeWebhook(hookUrl, ["add_company"]);
    const reply = await call(emulator, "/api/v4/companies", {
      token,
      method: "POST",
      body: [
        {
          name: "ООО «Юг»",
          custom_fields_values: [
            { field_id: 7300203, values: [{ value: "2301234567" }] },
          ],
        },
      ],
    });
    const id = (reply.json as { _embedded: { companies: { id: number }[] } })
      ._embedded.companies[0]!.id;
    await waitFor(1);

    expect(received[0]!.parsed).toMatchObject({
      contacts: {
        add: [
          {
            id: String(id),
            type: "company",
            name: "ООО «Юг»",
            custom_fields: [
              { id: "7300203", values: [{ value: "2301234567" }] },
            ],
          },
        ],
      },
    });
  });

  it("sends contacts[update] with type=company for a company changed over the API", async () => {
    emulator.subscribeWebhook(hookUrl, ["update_company"]);
    await call(emulator, "/api/v4/companies/3100003", {
      token,
      method: "PATCH",
      body: { name: "АО «С реквизитами»" },
    });
    await waitFor(1);

    expect(received[0]!.parsed).toMatchObject({
      contacts: {
        update: [
          { id: "3100003", type: "company", name: "АО «С реквизитами»" },
        ],
      },
    });
  });

  it("sends leads[update] naming the new company when a company is linked over the API", async () => {
    emulator.subscribeWebhook(hookUrl, ["update_lead"]);
    await call(emulator, "/api/v4/leads/1100003/link", {
      token,
      method: "POST",
      body: [{ to_entity_id: 3100003, to_entity_type: "companies" }],
    });
    await waitFor(1);
    await sleep(50);

    expect(received).toHaveLength(1);
    expect(received[0]!.parsed).toMatchObject({
      leads: { update: [{ id: "1100003" }] },
    });
    const lead = emulator.state().leads.find((l) => l.id === 1100003);
    expect(lead?.company_id).toBe(3100003);
  });

  it("sends nothing for a link that changes nothing", async () => {
    emulator.subscribeWebhook(hookUrl, ["update_lead"]);
    // Lead 1100001 already has company 3100001 in the seed.
    const reply = await call(emulator, "/api/v4/leads/1100001/link", {
      token,
      method: "POST",
      body: [{ to_entity_id: 3100001, to_entity_type: "companies" }],
    });
    expect(reply.status).toBe(200);
    await sleep(200);

    expect(received).toHaveLength(0);
  });

  it("sends leads[note] with the lead as element_id for a note added over the API", async () => {
    emulator.subscribeWebhook(hookUrl, ["note_lead", "update_lead"]);
    await call(emulator, "/api/v4/leads/1100001/notes", {
      token,
      method: "POST",
      body: [{ note_type: "common", params: { text: "Заказ № 17 в 1С" } }],
    });
    await waitFor(1);
    await sleep(50);

    expect(received).toHaveLength(1);
    expect(received[0]!.parsed).toMatchObject({
      leads: {
        note: [
          {
            note: {
              element_id: "1100001",
              note_type: "4",
              text: "Заказ № 17 в 1С",
            },
          },
        ],
      },
    });
    expect(received[0]!.parsed).not.toHaveProperty("leads.update");
  });
});
