import qs from "qs";
import { describe, expect, it } from "vitest";

import { readWebhookBody } from "../../src/webhooks/read-webhook-body.js";

const ACCOUNT = {
  subdomain: "acme",
  id: "29000001",
  _links: { self: "https://acme.amocrm.ru" },
};

describe("readWebhookBody", () => {
  it("lists every lead of a body with 25 indices (past qs's default array limit)", () => {
    const update = Array.from({ length: 25 }, (_, i) => ({
      id: String(100 + i),
    }));
    const summary = readWebhookBody(
      qs.stringify({ leads: { update }, account: ACCOUNT }),
    );

    expect(summary.dealIds).toHaveLength(25);
    expect(summary.dealIds).toContain(124);
    expect(summary.events).toEqual({ "leads.update": 25 });
  });

  it("takes linked leads from the lead-id keys when the ID inside is missing", () => {
    const body =
      "contacts[update][0][id]=5&contacts[update][0][linked_leads_id][31234567][NAME]=x" +
      "&contacts[update][0][linked_leads_id][31234568][ID]=31234568" +
      "&account[id]=29000001";

    expect(readWebhookBody(body).dealIds).toEqual([31234567, 31234568]);
  });

  it("ignores the id of a note hook, which is the note's", () => {
    const body = qs.stringify({
      leads: { note: [{ id: "900", note: { element_id: "101" } }] },
      account: ACCOUNT,
    });

    expect(readWebhookBody(body)).toMatchObject({
      dealIds: [],
      events: { "leads.note": 1 },
    });
  });

  it("takes every value of a repeated id key and skips ones that are not ids", () => {
    const body =
      "leads[update][0][id]=7&leads[update][0][id]=8&leads[add][0][id]=-3" +
      "&leads[add][1][id]=1e3&leads[add][2][id]=99999999999999999999&account[id]=1";

    expect(readWebhookBody(body).dealIds).toEqual([7, 8]);
  });

  it("reads the account id and subdomain", () => {
    const summary = readWebhookBody(qs.stringify({ account: ACCOUNT }));

    expect(summary).toMatchObject({
      accountId: 29000001,
      subdomain: "acme",
      dealIds: [],
    });
  });

  it.each([
    ["an empty body", "", /empty/],
    ["a body without an account", "leads[update][0][id]=5", /account\[id\]/],
    ["a non-numeric account id", "account[id]=acme", /account\[id\]/],
    ["garbage", "%%%&&&[[[=]]]", /account\[id\]/],
  ])("refuses %s", (_name, body, message) => {
    expect(() => readWebhookBody(body)).toThrow(
      expect.objectContaining({
        code: "webhook_body_invalid",
        status: 400,
        message: expect.stringMatching(message),
      }),
    );
  });
});
