import { randomInt } from "node:crypto";
import { connect, type AddressInfo } from "node:net";
import type { Server } from "node:http";

import express from "express";
import qs from "qs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  createErrorHandler,
  notFoundHandler,
} from "../../src/http/error-handler.js";
import { createSqliteQueue } from "../../src/queue/create-sqlite-queue.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { createSecretBox } from "../../src/storage/secret-box.js";
import {
  createSecretStore,
  type SecretStore,
} from "../../src/storage/secret-store.js";
import {
  createSettingsStore,
  type SettingsStore,
} from "../../src/storage/settings-store.js";
import { createWebhookRouter } from "../../src/webhooks/create-webhook-router.js";
import {
  ensureWebhookSecret,
  webhookUrl,
} from "../../src/webhooks/ensure-webhook-secret.js";
import { captureLog, type CapturedLog } from "../helpers/capture-log.js";
import {
  createTempDatabase,
  type TempDatabase,
} from "../helpers/temp-database.js";

const ACCOUNT_ID = 29000001;
const ACCOUNT = {
  subdomain: "acme",
  id: String(ACCOUNT_ID),
  _links: { self: "https://acme.amocrm.ru" },
};
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** Linked leads as amoCRM writes them: keyed by lead id, upper-case ID inside. */
function linked(...ids: number[]) {
  return Object.fromEntries(ids.map((id) => [String(id), { ID: String(id) }]));
}

describe("webhook intake", () => {
  let temp: TempDatabase;
  let secrets: SecretStore;
  let settings: SettingsStore;
  let queue: JobQueue;
  let captured: CapturedLog;
  let server: Server;
  let url: string;

  async function start(bodyLimit?: string) {
    captured = captureLog("info");
    const app = express();
    app.use(
      createWebhookRouter({
        secrets,
        settings,
        queue,
        log: captured.log,
        bodyLimit,
      }),
    );
    app.use(notFoundHandler);
    app.use(createErrorHandler(captured.log));
    server = app.listen(0);
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    url = webhookUrl(
      `http://127.0.0.1:${port}/`,
      await ensureWebhookSecret(secrets),
    );
  }

  async function post(
    body: string,
    target = url,
    headers: Record<string, string> = FORM,
  ) {
    const response = await fetch(target, { method: "POST", headers, body });
    return {
      status: response.status,
      body: (await response.json()) as unknown,
    };
  }

  /** Sends bytes as they are and returns the whole answer. */
  async function rawRequest(target: URL, request: string): Promise<string> {
    const socket = connect(Number(target.port), target.hostname);
    socket.end(request);
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  async function queuedDeals(): Promise<number[]> {
    const rows = await temp.db
      .selectFrom("jobs")
      .select(["deal_id", "status", "trigger"])
      .orderBy("deal_id")
      .execute();
    expect(
      rows.every((r) => r.status === "queued" && r.trigger === "webhook"),
    ).toBe(true);
    return rows.map((r) => r.deal_id);
  }

  beforeEach(async () => {
    temp = await createTempDatabase();
    secrets = createSecretStore(temp.db, createSecretBox(Buffer.alloc(32, 7)));
    settings = createSettingsStore(temp.db);
    await settings.put("amocrm", {
      host: "acme.amocrm.ru",
      longLivedToken: false,
      tokenExpiresOn: "",
      accountId: ACCOUNT_ID,
      warnDaysBeforeExpiry: 14,
    });
    // Not started: accepted jobs stay queued for the assertions.
    queue = createSqliteQueue({ db: temp.db, log: captureLog().log });
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await temp.dispose();
  });

  it("queues one job per deal named anywhere in a legacy body", async () => {
    await start();
    const body = qs.stringify({
      leads: {
        update: [
          {
            id: "101",
            name: "Order",
            custom_fields: [{ id: "5", values: [{ value: "x" }] }],
          },
          { id: "102", status_id: "142" },
        ],
        status: [{ id: "101", old_status_id: "141", status_id: "142" }],
        add: [{ id: "103" }],
      },
      contacts: {
        update: [
          { id: "501", type: "contact", linked_leads_id: linked(104, 105) },
          { id: "601", type: "company", linked_leads_id: linked(106, 101) },
        ],
        add: [
          { id: "502", type: "contact", linked_leads_id: linked(31234567) },
        ],
      },
      companies: { update: [{ id: "602", linked_leads_id: linked(107) }] },
      task: { add: [{ id: "9", element_id: "999" }] },
      account: ACCOUNT,
    });

    const answer = await post(body);

    expect(answer).toEqual({ status: 200, body: { accepted: 8 } });
    expect(await queuedDeals()).toEqual([
      101, 102, 103, 104, 105, 106, 107, 31234567,
    ]);
    expect(await queue.isPending(31234567)).toBe(true);
    expect(captured.lines).toContainEqual(
      expect.objectContaining({
        level: 30,
        msg: "webhook accepted",
        accountId: ACCOUNT_ID,
        dealCount: 8,
        events: {
          "leads.update": 2,
          "leads.status": 1,
          "leads.add": 1,
          "contacts.update": 2,
          "contacts.add": 1,
          "companies.update": 1,
          "task.add": 1,
        },
      }),
    );
  });

  it("folds repeated hooks for one deal into one queued job", async () => {
    await start();
    const body = qs.stringify({
      leads: { update: [{ id: "42" }] },
      account: ACCOUNT,
    });

    for (let i = 0; i < 5; i++) expect((await post(body)).status).toBe(200);

    expect(await queuedDeals()).toEqual([42]);
  });

  it("answers 404 to a wrong secret and queues nothing", async () => {
    await start();
    const body = qs.stringify({
      leads: { update: [{ id: "1" }] },
      account: ACCOUNT,
    });

    const answer = await post(body, url.replace(/[^/]+$/, "not-the-secret"));

    expect(answer).toMatchObject({
      status: 404,
      body: {
        error: { code: "webhook_secret_invalid", message: expect.any(String) },
      },
    });
    expect(await queuedDeals()).toEqual([]);
  });

  it("answers 400 to a hook from another account", async () => {
    await start();
    const other = { ...ACCOUNT, id: "31000000", subdomain: "rival" };
    const body = qs.stringify({
      leads: { update: [{ id: "1" }] },
      account: other,
    });

    const answer = await post(body);

    expect(answer).toMatchObject({
      status: 400,
      body: {
        error: {
          code: "webhook_account_mismatch",
          message: expect.stringContaining("31000000"),
        },
      },
    });
    expect(await queuedDeals()).toEqual([]);
  });

  it("checks the subdomain while no account id is bound yet", async () => {
    await settings.put("amocrm", {
      host: "acme.amocrm.ru",
      longLivedToken: false,
      tokenExpiresOn: "",
      accountId: null,
      warnDaysBeforeExpiry: 14,
    });
    await start();
    const hook = (subdomain: string) =>
      qs.stringify({
        leads: { update: [{ id: "3" }] },
        account: { ...ACCOUNT, subdomain },
      });

    expect((await post(hook("rival"))).body).toMatchObject({
      error: { code: "webhook_account_mismatch" },
    });
    expect((await post(hook("acme"))).body).toEqual({ accepted: 1 });
  });

  it.each([
    ["garbage", "%%%&&&[[[=]]]", FORM, /account\[id\]/],
    ["an empty body", "", FORM, /empty/],
    [
      "JSON",
      JSON.stringify({ account: { id: ACCOUNT_ID } }),
      { "content-type": "application/json" },
      /application\/json/,
    ],
  ])(
    "answers 400 to %s, saying what is wrong",
    async (_name, body, headers, message) => {
      await start();

      const answer = await post(body, url, headers);

      expect(answer).toMatchObject({
        status: 400,
        body: {
          error: {
            code: "webhook_body_invalid",
            message: expect.stringMatching(message),
          },
        },
      });
    },
  );

  it("tells a form request with no body at all that its body is empty", async () => {
    await start();
    const target = new URL(url);

    // What `curl -X POST -H 'Content-Type: …'` sends: no Content-Length,
    // no Transfer-Encoding, so the request has no body in HTTP's terms.
    const answer = await rawRequest(
      target,
      `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n`,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain(
      '"message":"The webhook body is empty: amoCRM sends the changed entities as form fields"',
    );
  });

  it("answers 413 in JSON to a body over the limit", async () => {
    await start("2kb");
    const update = Array.from({ length: 200 }, (_, i) => ({
      id: String(i + 1),
    }));
    const body = qs.stringify({ leads: { update }, account: ACCOUNT });

    const answer = await post(body);

    expect(answer).toMatchObject({
      status: 413,
      body: { error: { code: "payload_too_large" } },
    });
    expect(await queuedDeals()).toEqual([]);
  });

  it("keeps the secret out of every log line, refusals included", async () => {
    await start();
    const secret = await ensureWebhookSecret(secrets);
    await post(
      qs.stringify({ leads: { update: [{ id: "1" }] }, account: ACCOUNT }),
    );
    await post(qs.stringify({ account: { ...ACCOUNT, id: "5" } }));
    await post("%%%");

    expect(captured.lines.length).toBeGreaterThanOrEqual(3);
    expect(captured.text()).not.toContain(secret);
  });

  it("answers 200 or 400, never fails, on 300 bodies of random bracket keys", async () => {
    await start();
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const answer = await post(randomBody(i % 2 === 0));
      statuses.add(answer.status);
      if (answer.status === 200) {
        expect(answer.body).toEqual({ accepted: expect.any(Number) });
      }
    }

    expect([...statuses].sort()).toEqual([200, 400]);
    const after = await post(
      qs.stringify({ leads: { add: [{ id: "77" }] }, account: ACCOUNT }),
    );
    expect(after).toEqual({ status: 200, body: { accepted: 1 } });
  });
});

const PIECES = [
  "leads",
  "contacts",
  "companies",
  "account",
  "update",
  "add",
  "status",
  "note",
  "linked_leads_id",
  "id",
  "ID",
  "type",
  "company",
  "0",
  "1",
  "25",
  "31234567",
  "__proto__",
  "constructor",
  "prototype",
  "",
  "[",
  "]",
  "%5B",
  "&",
  "=",
  "💥",
];

function pick<T>(items: T[]): T {
  return items[randomInt(items.length)]!;
}

/** Up to 40 parameters of random bracket paths and values; may add the account. */
function randomBody(withAccount: boolean): string {
  const params = Array.from({ length: randomInt(40) }, () => {
    const path = Array.from({ length: randomInt(1, 8) }, () => pick(PIECES));
    const [head, ...rest] = path;
    const key = `${head}${rest.map((p) => `[${p}]`).join("")}`;
    const value = pick([
      "1",
      "101",
      "-1",
      "abc",
      "",
      "9".repeat(30),
      "[]",
      "%",
    ]);
    return `${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
  });
  if (withAccount) params.push(`account%5Bid%5D=${ACCOUNT_ID}`);
  return params.join("&");
}
