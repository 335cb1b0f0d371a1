import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startAmocrmEmulator } from "../start-amocrm-emulator.js";
import type { AmocrmEmulator } from "../start-amocrm-emulator.js";
import { authorize, call } from "./helpers/amo-client.js";

let emulator: AmocrmEmulator;
let token: string;

beforeAll(async () => {
  emulator = await startAmocrmEmulator({ rateLimitPerSecond: 0 });
  token = (await authorize(emulator)).access_token;
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.reset();
  emulator.clearRequests();
});

const UNAUTHORIZED = {
  status: 401,
  contentType: expect.stringContaining("application/problem+json"),
  json: {
    title: "Unauthorized",
    type: "https://httpstatus.es/401",
    status: 401,
    detail: expect.any(String),
  },
};

describe("authorization of API calls", () => {
  it.each([
    ["no header", undefined],
    ["an unknown token", "not-a-token"],
  ])("answers 401 problem JSON for %s", async (_name, bad) => {
    expect(
      await call(emulator, "/api/v4/leads/1100001", { token: bad }),
    ).toMatchObject(UNAUTHORIZED);
  });

  it("answers 401 for a revoked access token", async () => {
    const other = (await authorize(emulator)).access_token;
    emulator.revokeToken(other);
    expect(
      await call(emulator, "/api/v4/account", { token: other }),
    ).toMatchObject(UNAUTHORIZED);
  });
});

describe("account and users", () => {
  it("describes the seeded account", async () => {
    const reply = await call(emulator, "/api/v4/account", { token });
    expect(reply.contentType).toContain("application/hal+json");
    expect(reply.json).toMatchObject({
      id: emulator.accountId,
      subdomain: "acme",
      current_user_id: 8100001,
    });
    expect(emulator.host).toBe("acme.amocrm.ru");
  });

  it("lists users with admin and active flags", async () => {
    const reply = await call(emulator, "/api/v4/users", { token });
    const users = (
      reply.json as {
        _embedded: {
          users: {
            id: number;
            rights: { is_admin: boolean; is_active: boolean };
          }[];
        };
      }
    )._embedded.users;
    expect(
      users.map((u) => [u.id, u.rights.is_admin, u.rights.is_active]),
    ).toEqual([
      [8100001, true, true],
      [8100002, false, true],
      [8100003, false, false],
    ]);
  });
});

describe("leads", () => {
  it("answers 204 with an empty body for a missing lead", async () => {
    const reply = await call(emulator, "/api/v4/leads/42", { token });
    expect(reply).toMatchObject({ status: 204, text: "" });
  });

  it("answers 204 for a deleted lead", async () => {
    emulator.updateLead(1100002, { deleted: true });
    expect(
      (await call(emulator, "/api/v4/leads/1100002", { token })).status,
    ).toBe(204);
  });

  it("embeds companies always and contacts only with=contacts", async () => {
    const plain = await call(emulator, "/api/v4/leads/1100001", { token });
    const withContacts = await call(
      emulator,
      "/api/v4/leads/1100001?with=contacts",
      { token },
    );

    expect(plain.json).toMatchObject({
      id: 1100001,
      name: "Поставка оборудования для «Вектора»",
      _embedded: { companies: [{ id: 3100001 }] },
    });
    expect((plain.json as { _embedded: object })._embedded).not.toHaveProperty(
      "contacts",
    );
    expect(withContacts.json).toMatchObject({
      _embedded: {
        companies: [{ id: 3100001 }],
        contacts: [
          { id: 2100001, is_main: true },
          { id: 2100002, is_main: false },
        ],
      },
    });
  });

  it("gives custom_fields_values null, not [], when a lead has none", async () => {
    const reply = await call(emulator, "/api/v4/leads/1100003?with=contacts", {
      token,
    });
    expect(reply.json).toMatchObject({
      custom_fields_values: null,
      _embedded: { companies: [], contacts: [] },
    });
  });

  it("filters by id and pages with _links.next, then 204 past the end", async () => {
    const ids =
      "filter[id][]=1100001&filter[id][]=1100002&filter[id][]=1100003";
    const first = await call(emulator, `/api/v4/leads?${ids}&limit=2`, {
      token,
    });
    const body = first.json as {
      _links: { next?: { href: string } };
      _embedded: { leads: { id: number }[] };
    };
    expect(body._embedded.leads.map((l) => l.id)).toEqual([1100001, 1100002]);

    const next = new URL(body._links.next!.href);
    const second = await call(emulator, `${next.pathname}${next.search}`, {
      token,
    });
    const secondBody = second.json as {
      _links: { next?: unknown };
      _embedded: { leads: { id: number }[] };
    };
    expect(secondBody._embedded.leads.map((l) => l.id)).toEqual([1100003]);
    expect(secondBody._links.next).toBeUndefined();

    const past = await call(emulator, `/api/v4/leads?${ids}&limit=2&page=3`, {
      token,
    });
    expect(past.status).toBe(204);
  });

  it("filters by updated_at and bumps updated_at on change", async () => {
    const since = Math.floor(Date.now() / 1000);
    emulator.updateLead(1100003, { price: 500 });

    const reply = await call(
      emulator,
      `/api/v4/leads?filter[updated_at][from]=${since}`,
      { token },
    );
    const leads = (
      reply.json as {
        _embedded: {
          leads: { id: number; price: number; updated_at: number }[];
        };
      }
    )._embedded.leads;
    expect(leads).toEqual([
      expect.objectContaining({ id: 1100003, price: 500 }),
    ]);
    expect(leads[0]!.updated_at).toBeGreaterThanOrEqual(since);
  });
});

describe("contacts and companies", () => {
  it("returns phones and e-mails as PHONE/EMAIL multitext fields", async () => {
    const reply = await call(
      emulator,
      "/api/v4/contacts?filter[id][]=2100001",
      { token },
    );
    const contact = (
      reply.json as {
        _embedded: { contacts: { custom_fields_values: unknown }[] };
      }
    )._embedded.contacts[0];
    expect(contact?.custom_fields_values).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field_code: "PHONE",
          field_type: "multitext",
          values: [
            expect.objectContaining({
              value: "+7 916 000-11-22",
              enum_code: "MOB",
            }),
            expect.objectContaining({
              value: "+7 495 123-45-68",
              enum_code: "WORK",
            }),
          ],
        }),
        expect.objectContaining({ field_code: "EMAIL" }),
      ]),
    );
  });

  it("returns INN and KPP as text fields of the company", async () => {
    const reply = await call(emulator, "/api/v4/companies/3100001", { token });
    expect(reply.json).toMatchObject({
      name: "ООО «Вектор»",
      custom_fields_values: expect.arrayContaining([
        expect.objectContaining({
          field_id: 7300203,
          field_name: "ИНН",
          field_type: "text",
          values: [{ value: "7707083893" }],
        }),
        expect.objectContaining({
          field_id: 7300204,
          values: [{ value: "773601001" }],
        }),
      ]),
    });
  });

  it.each([
    ["an INN held in a custom field", "7707083893", [3100001]],
    ["part of a name", "Сидоров", [3100002]],
    ["part of an e-mail", "vektor.example", [3100001]],
  ])("finds companies by query over %s", async (_what, query, ids) => {
    const reply = await call(
      emulator,
      `/api/v4/companies?query=${encodeURIComponent(query)}`,
      { token },
    );
    const found = (
      reply.json as { _embedded: { companies: { id: number }[] } }
    )._embedded.companies.map((c) => c.id);
    expect(found).toEqual(ids);
  });

  it("answers 204 for a query nothing matches", async () => {
    const reply = await call(emulator, "/api/v4/companies?query=0000000000", {
      token,
    });
    expect(reply).toMatchObject({ status: 204, text: "" });
  });

  it("creates companies and echoes request_id", async () => {
    const reply = await call(emulator, "/api/v4/companies", {
      token,
      method: "POST",
      body: [
        {
          name: "ООО «Новая»",
          request_id: "onec-42",
          custom_fields_values: [
            { field_id: 7300203, values: [{ value: "7701234567" }] },
          ],
        },
      ],
    });
    const created = (
      reply.json as {
        _embedded: { companies: { id: number; request_id: string }[] };
      }
    )._embedded.companies[0]!;
    expect(created.request_id).toBe("onec-42");

    const read = await call(emulator, `/api/v4/companies/${created.id}`, {
      token,
    });
    expect(read.json).toMatchObject({
      name: "ООО «Новая»",
      custom_fields_values: [
        { field_id: 7300203, values: [{ value: "7701234567" }] },
      ],
    });
  });

  it("answers 400 validation-errors for an unknown custom field", async () => {
    const reply = await call(emulator, "/api/v4/companies", {
      token,
      method: "POST",
      body: [
        {
          name: "X",
          request_id: "r1",
          custom_fields_values: [{ field_id: 1, values: [{ value: "1" }] }],
        },
      ],
    });
    expect(reply).toMatchObject({
      status: 400,
      contentType: expect.stringContaining("application/problem+json"),
      json: {
        "validation-errors": [
          {
            request_id: "r1",
            errors: [
              {
                code: "NotSupportedChoice",
                path: "custom_fields_values.0.field_id",
              },
            ],
          },
        ],
        title: "Bad Request",
        type: "https://httpstatus.es/400",
        status: 400,
        detail: "Request validation failed",
      },
    });
  });
});

describe("links, notes and events", () => {
  it("links a company and a contact to a lead and records link events", async () => {
    const since = Math.floor(Date.now() / 1000);
    const linked = await call(emulator, "/api/v4/leads/1100003/link", {
      token,
      method: "POST",
      body: [
        { to_entity_id: 3100003, to_entity_type: "companies" },
        {
          to_entity_id: 2100004,
          to_entity_type: "contacts",
          metadata: { is_main: true },
        },
      ],
    });
    expect(linked.status).toBe(200);

    const lead = await call(emulator, "/api/v4/leads/1100003?with=contacts", {
      token,
    });
    expect(lead.json).toMatchObject({
      _embedded: {
        companies: [{ id: 3100003 }],
        contacts: [{ id: 2100004, is_main: true }],
      },
    });
    const links = await call(emulator, "/api/v4/leads/1100003/links", {
      token,
    });
    expect(
      (links.json as { _embedded: { links: unknown[] } })._embedded.links,
    ).toHaveLength(2);

    const query = `filter[type][]=contact_linked&filter[type][]=company_linked&filter[created_at][from]=${since}`;
    const events = await call(emulator, `/api/v4/events?${query}`, { token });
    const list = (
      events.json as {
        _embedded: {
          events: { type: string; entity_id: number; value_after: unknown }[];
        };
      }
    )._embedded.events;
    expect(list.map((e) => e.type).sort()).toEqual([
      "company_linked",
      "contact_linked",
    ]);
    expect(list.find((e) => e.type === "contact_linked")).toMatchObject({
      entity_id: 1100003,
      entity_type: "lead",
      value_after: [{ link: { entity: { type: "contact", id: 2100004 } } }],
    });
  });

  it("answers 204 from events when nothing matches", async () => {
    const reply = await call(
      emulator,
      "/api/v4/events?filter[type][]=contact_unlinked",
      { token },
    );
    expect(reply.status).toBe(204);
  });

  it("records unlink events when the admin changes a lead's contacts", async () => {
    emulator.updateLead(1100001, {
      contacts: [{ id: 2100002, is_main: true }],
      companyId: null,
    });
    const reply = await call(
      emulator,
      "/api/v4/events?filter[type][]=contact_unlinked&filter[type][]=company_unlinked",
      { token },
    );
    const types = (
      reply.json as { _embedded: { events: { type: string }[] } }
    )._embedded.events.map((e) => e.type);
    expect(types.sort()).toEqual(["company_unlinked", "contact_unlinked"]);
  });

  it("adds a common note to a lead", async () => {
    const reply = await call(emulator, "/api/v4/leads/1100001/notes", {
      token,
      method: "POST",
      body: [
        {
          note_type: "common",
          params: { text: "Заказ покупателя №17 создан в 1С" },
        },
      ],
    });
    expect(reply.json).toMatchObject({
      _embedded: { notes: [{ entity_id: 1100001, request_id: "0" }] },
    });
    expect(emulator.state().notes).toEqual([
      expect.objectContaining({
        entity_id: 1100001,
        params: { text: "Заказ покупателя №17 создан в 1С" },
      }),
    ]);
  });
});

describe("request log and generic answers", () => {
  it("logs every non-admin request with its status", async () => {
    await call(emulator, "/api/v4/leads/1100001", { token });
    await call(emulator, "/api/v4/leads/1", { token });
    await call(emulator, "/__admin/state");

    expect(emulator.requests()).toEqual([
      expect.objectContaining({
        method: "GET",
        path: "/api/v4/leads/1100001",
        status: 200,
      }),
      expect.objectContaining({
        method: "GET",
        path: "/api/v4/leads/1",
        status: 204,
      }),
    ]);
    const overHttp = await call(emulator, "/__admin/requests");
    expect(overHttp.json).toHaveLength(2);
  });

  it("answers unknown routes with 404 problem JSON and an X-Request-Id", async () => {
    const reply = await call(emulator, "/api/v4/nothing-here", { token });
    expect(reply).toMatchObject({
      status: 404,
      json: { status: 404, title: "Not Found" },
    });
    expect(reply.requestId).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    [
      "POST",
      "/api/v4/leads/1100001/link",
      [null, 5, { to_entity_type: "contacts" }],
    ],
    [
      "POST",
      "/api/v4/companies",
      [null, { name: 5 }, { custom_fields_values: "x" }],
    ],
    ["POST", "/api/v4/leads/1100001/notes", { not: "an array" }],
    [
      "GET",
      "/api/v4/leads?filter[id][a][b]=1&with[]=contacts&page[]=2&limit=x",
      undefined,
    ],
    ["GET", "/api/v4/leads/%E0%A4%A", undefined],
    ["PATCH", "/__admin/leads/1100001", { contacts: "x" }],
    ["POST", "/__admin/reset", { seed: { bad: true } }],
  ])(
    "answers %s %s with odd input and keeps serving",
    async (method, path, body) => {
      const reply = await call(emulator, path, { token, method, body });
      expect([200, 204, 400, 404]).toContain(reply.status);
      expect(
        (await call(emulator, "/api/v4/leads/1100001", { token })).status,
      ).toBe(200);
    },
  );

  it("survives malformed bodies", async () => {
    const response = await fetch(`${emulator.url}/api/v4/companies`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
      },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      200,
    );
  });
});
