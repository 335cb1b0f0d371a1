import { afterAll, beforeAll, describe, expect, test } from "vitest";

import {
  signWidgetToken,
  unsignedWidgetToken,
} from "../helpers/sign-widget-token.js";
import {
  AUDIENCE,
  startWidgetApi,
  type WidgetApi,
} from "./start-widget-api.js";

const admins = new Set([501]);
let api: WidgetApi;
let baseUrl: string;

beforeAll(async () => {
  api = await startWidgetApi(
    async (userId, claimed) => claimed && admins.has(userId),
  );
  baseUrl = api.baseUrl;
});
afterAll(() => api?.close());

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

  test("refuses a token whose nbf lies beyond the 60 s skew", async () => {
    const { status, body } = await getDeal(
      signWidgetToken(AUDIENCE, { notBeforeInSeconds: 120 }),
    );
    expect(status).toBe(401);
    expect(body.error.code).toBe("widget_token_invalid");
  });

  test("accepts a token whose nbf lies within the 60 s skew", async () => {
    const { status, body } = await getDeal(
      signWidgetToken(AUDIENCE, { notBeforeInSeconds: 30 }),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ dealId: 42 });
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
