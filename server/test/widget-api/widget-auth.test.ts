import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createApp } from "../../src/http/create-app.js";
import { createDealStateRepository } from "../../src/exchange/deal-state-repository.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { createSettingsStore } from "../../src/storage/settings-store.js";
import { createSecretStore } from "../../src/storage/secret-store.js";
import { createSecretBox } from "../../src/storage/secret-box.js";
import { createJtiStore } from "../../src/widget-api/jti-store.js";
import { createWidgetApiRouter } from "../../src/widget-api/create-widget-api-router.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  signWidgetToken,
  unsignedWidgetToken,
} from "../helpers/sign-widget-token.js";
import {
  createTempDatabase,
  type TempDatabase,
} from "../helpers/temp-database.js";

const AUDIENCE = "https://amo1c.example.com";
const ACCOUNT_ID = 31000001;

/** A queue that only remembers what was enqueued: these tests are about auth. */
function idleQueue(): JobQueue {
  return {
    enqueue: async () => undefined,
    start: async () => undefined,
    stop: async () => undefined,
    isPending: async () => false,
    counts: async () => ({ queued: 0, running: 0, failed: 0 }),
    failed: async () => [],
    retryFailed: async () => 0,
  };
}

let database: TempDatabase;
let server: Server;
let baseUrl: string;
const admins = new Set([501]);

beforeAll(async () => {
  database = await createTempDatabase();
  const settings = createSettingsStore(database.db);
  await settings.put("amocrm", {
    host: "acme.amocrm.ru",
    longLivedToken: false,
    tokenExpiresOn: "",
    accountId: ACCOUNT_ID,
    warnDaysBeforeExpiry: 14,
  });
  const secrets = createSecretStore(
    database.db,
    createSecretBox(Buffer.alloc(32, 7)),
  );
  const { log } = captureLog();
  const connection = async () => ({
    state: "ok" as const,
    mode: "oauth" as const,
    message: null,
    expiresAt: null,
    expiryInstructions: [],
  });

  const router = createWidgetApiRouter({
    cors: { accountHost: async () => "acme.amocrm.ru" },
    auth: {
      clientId: TEST_CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      audience: AUDIENCE,
      accountId: async () => ACCOUNT_ID,
      jtis: createJtiStore(database.db),
      isAdmin: async (userId, claimed) => claimed && admins.has(userId),
      log,
    },
    deals: {
      states: createDealStateRepository(database.db),
      queue: idleQueue(),
      settings,
      connection,
    },
    settings: {
      settings,
      secrets,
      clientId: TEST_CLIENT_ID,
      redirectUri: `${AUDIENCE}/amocrm/oauth/callback`,
      webhookUrl: async () => `${AUDIENCE}/amocrm/webhooks/x`,
      connection,
      runCheck: async () => ({
        ok: true,
        amocrm: { ok: true, steps: [] },
        onec: { ok: true, steps: [] },
      }),
      listOnecDefaults: async () => ({
        organizations: [],
        agreements: [],
        warehouses: [],
        items: [],
        vatRates: [],
      }),
      log,
    },
  });
  server = createApp({ log, routers: [router] }).listen(0);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await database.dispose();
});

/** A deal view or an error body; tests read whichever the status says. */
type ApiBody = { error: { code: string } } & Record<string, unknown>;

async function getDeal(token: string | null, origin?: string) {
  const headers: Record<string, string> = {};
  if (token) headers["x-auth-token"] = token;
  if (origin) headers["origin"] = origin;
  const res = await fetch(`${baseUrl}/api/v1/deals/42`, { headers });
  return {
    status: res.status,
    body: (await res.json()) as ApiBody,
    res,
  };
}

describe("widget token verification", () => {
  test("accepts a token signed by amoCRM and answers the deal view", async () => {
    const { status, body } = await getDeal(signWidgetToken(AUDIENCE));
    expect(status).toBe(200);
    expect(body).toMatchObject({ dealId: 42, synced: false, pending: false });
  });

  test("refuses a call without a token", async () => {
    const { status, body } = await getDeal(null);
    expect(status).toBe(401);
    expect(body.error.code).toBe("widget_token_missing");
  });

  test("refuses a forged token signed with another secret", async () => {
    const { status, body } = await getDeal(
      signWidgetToken(AUDIENCE, { secret: "guess" }),
    );
    expect(status).toBe(401);
    expect(body.error).toMatchObject({ code: "widget_token_invalid" });
  });

  test("refuses an expired token beyond the 60 s skew", async () => {
    const { status, body } = await getDeal(
      signWidgetToken(AUDIENCE, { expiresInSeconds: -120 }),
    );
    expect(status).toBe(401);
    expect(body.error.code).toBe("widget_token_expired");
  });

  test("refuses a replayed token", async () => {
    const token = signWidgetToken(AUDIENCE);
    expect((await getDeal(token)).status).toBe(200);
    const replay = await getDeal(token);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("widget_token_replayed");
  });

  test("refuses a token issued long before amoCRM's 30 minutes", async () => {
    const { status, body } = await getDeal(
      signWidgetToken(AUDIENCE, {
        issuedSecondsAgo: 86_400,
        expiresInSeconds: 3600 * 24 * 365,
      }),
    );
    expect(status).toBe(401);
    expect(body.error.code).toBe("widget_token_expired");
  });

  test('refuses an unsigned token ("alg": "none")', async () => {
    const { status, body } = await getDeal(unsignedWidgetToken(AUDIENCE));
    expect(status).toBe(401);
    expect(body.error.code).toBe("widget_token_invalid");
  });

  test("refuses a token of another account, another integration or another audience", async () => {
    const other = await getDeal(signWidgetToken(AUDIENCE, { accountId: 999 }));
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("widget_token_wrong_account");

    const integration = await getDeal(
      signWidgetToken(AUDIENCE, { clientId: "another" }),
    );
    expect(integration.body.error.code).toBe("widget_token_invalid");

    const audience = await getDeal(
      signWidgetToken(AUDIENCE, { aud: "https://evil.example" }),
    );
    expect(audience.body.error.code).toBe("widget_token_invalid");
  });

  test("lets settings be read by admins only", async () => {
    const asManager = await fetch(`${baseUrl}/api/v1/settings`, {
      headers: {
        "x-auth-token": signWidgetToken(AUDIENCE, {
          userId: 502,
          isAdmin: false,
        }),
      },
    });
    expect(asManager.status).toBe(403);
    expect(((await asManager.json()) as ApiBody).error.code).toBe(
      "widget_admin_required",
    );

    const claimedButNot = await fetch(`${baseUrl}/api/v1/settings`, {
      headers: {
        "x-auth-token": signWidgetToken(AUDIENCE, {
          userId: 503,
          isAdmin: true,
        }),
      },
    });
    expect(claimedButNot.status).toBe(403);

    const asAdmin = await fetch(`${baseUrl}/api/v1/settings`, {
      headers: { "x-auth-token": signWidgetToken(AUDIENCE) },
    });
    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.json()).toMatchObject({
      amocrm: { host: "acme.amocrm.ru" },
    });
  });

  test("allows CORS from the account origin only", async () => {
    const own = await getDeal(
      signWidgetToken(AUDIENCE),
      "https://acme.amocrm.ru",
    );
    expect(own.res.headers.get("access-control-allow-origin")).toBe(
      "https://acme.amocrm.ru",
    );
    const foreign = await getDeal(
      signWidgetToken(AUDIENCE),
      "https://evil.amocrm.ru",
    );
    expect(foreign.res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
