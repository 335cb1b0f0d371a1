import { afterAll, beforeAll, describe, expect, test } from "vitest";

import type { CheckResult } from "../../../shared/check-result.js";
import type { SettingsInput, SettingsView } from "../../../shared/settings.js";
import { startStand, type Stand } from "../../../scripts/stand/start-stand.js";

let stand: Stand;

beforeAll(async () => {
  stand = await startStand({ tokenMode: "oauth" });
});
afterAll(async () => stand?.stop());

async function call<T>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stand.url}${path}`, {
    method,
    headers: {
      "x-auth-token": stand.widgetToken(),
      "content-type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** What the settings page sends back: the view's values, secrets left out (kept). */
async function currentInput(): Promise<SettingsInput> {
  const { body: view } = await call<SettingsView>("GET", "/api/v1/settings");
  const { passwordSet: _p, ...onec } = view.onec!;
  return {
    amocrm: {
      host: view.amocrm.host,
      longLivedToken: view.amocrm.longLivedToken,
      tokenExpiresOn: view.amocrm.tokenExpiresOn,
      warnDaysBeforeExpiry: view.amocrm.warnDaysBeforeExpiry,
    },
    onec,
    exchange: view.exchange,
  };
}

/**
 * The Check's own requests: the admin check's users read and the webhook
 * subscription after a passed Check are not among them.
 */
function checkSequence() {
  return stand.amocrm
    .requests()
    .map((r) => `${r.method} ${r.path.split("?")[0]}`)
    .filter((r) => r !== "GET /api/v4/users" && r !== "GET /api/v4/webhooks");
}

function stepIds(result: CheckResult) {
  return result.amocrm.steps.map((s) => `${s.id}:${s.outcome}`);
}

describe("the settings Check in OAuth mode", () => {
  test("renews with the refresh token and reads the account", async () => {
    stand.amocrm.clearRequests();
    const { status, body } = await call<CheckResult>(
      "POST",
      "/api/v1/settings/check",
    );
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(stepIds(body)).toEqual([
      "clear_access_token:ok",
      "refresh_token_expiry:ok",
      "refresh:ok",
      "exchange_code:skipped",
      "account:ok",
    ]);
    expect(checkSequence()).toEqual([
      "POST /oauth2/access_token",
      "GET /api/v4/account",
    ]);
    expect(body.onec.ok).toBe(true);
  });

  test("with the refresh token expired and a used code, shows amoCRM's hint and what to do", async () => {
    stand.amocrm.expireRefreshTokens();
    const { status, body } = await call<CheckResult>(
      "POST",
      "/api/v1/settings/check",
    );
    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    const exchange = body.amocrm.steps.find((s) => s.id === "exchange_code");
    expect(exchange).toMatchObject({ outcome: "failed" });
    expect(exchange?.serverMessage).toContain(
      "Authorization code has been revoked",
    );
    expect(exchange?.advice).toMatch(/20 minutes/);
  });

  test("with a fresh code saved through the settings page, connects again", async () => {
    const input = await currentInput();
    const saved = await call<SettingsView>("PUT", "/api/v1/settings", {
      ...input,
      amocrm: { ...input.amocrm, authCode: stand.amocrm.issueAuthCode() },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.amocrm.authCodeSet).toBe(true);

    const { body } = await call<CheckResult>("POST", "/api/v1/settings/check");
    expect(body.ok).toBe(true);
    expect(
      body.amocrm.steps.find((s) => s.id === "exchange_code")?.outcome,
    ).toBe("ok");
  });
});

describe("the settings Check with a long-lived token", () => {
  test("reads only the account data", async () => {
    const input = await currentInput();
    const expires = new Date(Date.now() + 30 * 24 * 3600_000);
    const saved = await call<SettingsView>("PUT", "/api/v1/settings", {
      ...input,
      amocrm: {
        ...input.amocrm,
        longLivedToken: true,
        tokenExpiresOn: expires.toISOString().slice(0, 10),
        accessToken: stand.amocrm.issueLongLivedToken(expires),
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.amocrm.accessTokenMasked).toMatch(/^….{4}$/);
    expect(JSON.stringify(saved.body)).not.toMatch(/eyJ/);

    stand.amocrm.clearRequests();
    const { body } = await call<CheckResult>("POST", "/api/v1/settings/check");
    expect(body.ok).toBe(true);
    expect(checkSequence()).toEqual(["GET /api/v4/account"]);
  });

  test("passes, but says so, when the settings name another account's host", async () => {
    const input = await currentInput();
    const account = stand.amocrm.state().seed.account;
    const ownHost = input.amocrm.host;
    await call("PUT", "/api/v1/settings", {
      ...input,
      amocrm: { ...input.amocrm, host: "other.amocrm.ru" },
    });

    const { body } = await call<CheckResult>("POST", "/api/v1/settings/check");
    await call("PUT", "/api/v1/settings", input);
    const { body: again } = await call<CheckResult>(
      "POST",
      "/api/v1/settings/check",
    );

    expect(body.ok).toBe(true);
    expect(body.amocrm.steps.at(-1)?.advice).toBe(
      `The settings name the account other.amocrm.ru, but the token belongs to ${account.subdomain}: set the account host to ${account.subdomain}.amocrm.ru and save; amo1c builds the deal links it writes into 1C from that host.`,
    );
    expect(ownHost).toBe(`${account.subdomain}.amocrm.ru`);
    expect(again.amocrm.steps.at(-1)?.advice).toBeUndefined();
  });

  test("refuses a bad field with a message that points at it, keeping what was stored", async () => {
    const input = await currentInput();
    const bad = await call<{
      error: { code: string; fields: Record<string, string> };
    }>("PUT", "/api/v1/settings", {
      ...input,
      onec: { ...input.onec, odataUrl: "http://1c.local/base" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(bad.body.error.fields["onec.odataUrl"]).toMatch(/standard\.odata/);

    const after = await currentInput();
    expect(after.onec.odataUrl).toBe(input.onec.odataUrl);
  });
});
