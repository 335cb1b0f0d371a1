import jwt from "jsonwebtoken";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startAmocrmEmulator } from "../start-amocrm-emulator.js";
import type { AmocrmEmulator } from "../start-amocrm-emulator.js";
import { authorize, call, tokenRequest } from "./helpers/amo-client.js";

const START_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

let emulator: AmocrmEmulator;

beforeEach(async () => {
  emulator = await startAmocrmEmulator({ now: () => START_MS });
});

afterEach(async () => {
  await emulator.stop();
});

function oauthProblem(status: number, hint: string) {
  return {
    status,
    contentType: expect.stringContaining("application/problem+json"),
    json: {
      hint,
      title: "Некорректный запрос",
      type: "https://developers.amocrm.ru/v3/errors/OAuthProblemJson",
      status,
      detail: expect.any(String),
    },
  };
}

describe("authorization code exchange", () => {
  it("returns a Bearer pair with a JWT access token for 24 hours", async () => {
    const pair = await authorize(emulator);

    expect(pair).toMatchObject({
      token_type: "Bearer",
      expires_in: 86400,
      server_time: START_MS / 1000,
    });
    expect(pair.refresh_token).toMatch(/^def502/);
    const claims = jwt.decode(pair.access_token, { complete: true });
    expect(claims?.header).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(claims?.payload).toMatchObject({
      aud: emulator.clientId,
      account_id: emulator.accountId,
      base_domain: "amocrm.ru",
      exp: START_MS / 1000 + 86400,
      sub: "8100001",
    });
  });

  it("accepts a form-encoded token request", async () => {
    const response = await fetch(`${emulator.url}/oauth2/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        redirect_uri: emulator.redirectUri,
        grant_type: "authorization_code",
        code: emulator.issueAuthCode(),
      }),
    });
    expect(response.status).toBe(200);
  });

  it("revokes a code after its first use", async () => {
    const code = emulator.issueAuthCode();
    await tokenRequest(emulator, { grant_type: "authorization_code", code });

    const again = await tokenRequest(emulator, {
      grant_type: "authorization_code",
      code,
    });
    expect(again).toMatchObject(
      oauthProblem(400, "Authorization code has been revoked"),
    );
  });

  it("expires a code after 20 minutes", async () => {
    const code = emulator.issueAuthCode();
    emulator.advanceClock(20 * MINUTE_MS);

    const reply = await tokenRequest(emulator, {
      grant_type: "authorization_code",
      code,
    });
    expect(reply).toMatchObject(
      oauthProblem(400, "Authorization code has expired"),
    );
  });

  it("cannot decrypt a code it never issued", async () => {
    const reply = await tokenRequest(emulator, {
      grant_type: "authorization_code",
      code: "def50200garbage",
    });
    expect(reply).toMatchObject(
      oauthProblem(400, "Cannot decrypt the authorization code"),
    );
  });

  it.each([
    ["client_id", "other-client", "Check the `client_id` parameter"],
    ["client_secret", "wrong", "Check the `client_secret` parameter"],
    [
      "redirect_uri",
      "https://evil.example/cb",
      "Redirect URI is not associated with client",
    ],
  ])("rejects a wrong %s", async (field, value, hint) => {
    const reply = await tokenRequest(emulator, {
      grant_type: "authorization_code",
      code: emulator.issueAuthCode(),
      [field]: value,
    });
    expect(reply).toMatchObject(oauthProblem(400, hint));
  });
});

describe("refresh", () => {
  it("rotates the pair and refuses the used refresh token", async () => {
    const first = await authorize(emulator);

    const second = await tokenRequest(emulator, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token,
    });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ token_type: "Bearer" });

    const reused = await tokenRequest(emulator, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token,
    });
    expect(reused).toMatchObject(oauthProblem(401, "Token has been revoked"));
  });

  it("lets exactly one of two concurrent refreshes win", async () => {
    const pair = await authorize(emulator);
    const body = {
      grant_type: "refresh_token",
      refresh_token: pair.refresh_token,
    };

    const replies = await Promise.all([
      tokenRequest(emulator, body),
      tokenRequest(emulator, body),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("treats a refresh token older than 3 months as revoked", async () => {
    const pair = await authorize(emulator);
    emulator.advanceClock(91 * DAY_MS);

    const reply = await tokenRequest(emulator, {
      grant_type: "refresh_token",
      refresh_token: pair.refresh_token,
    });
    expect(reply).toMatchObject(oauthProblem(401, "Token has been revoked"));
  });

  it("refuses refresh tokens expired or revoked by the admin", async () => {
    const a = await authorize(emulator);
    const b = await authorize(emulator);
    emulator.revokeToken(a.refresh_token);

    const revoked = await tokenRequest(emulator, {
      grant_type: "refresh_token",
      refresh_token: a.refresh_token,
    });
    emulator.expireRefreshTokens();
    const expired = await tokenRequest(emulator, {
      grant_type: "refresh_token",
      refresh_token: b.refresh_token,
    });
    expect(revoked.status).toBe(401);
    expect(expired.status).toBe(401);
  });
});

describe("access tokens", () => {
  it("stop working after 24 hours and when expired by the admin", async () => {
    const a = await authorize(emulator);
    expect(
      (await call(emulator, "/api/v4/account", { token: a.access_token }))
        .status,
    ).toBe(200);

    emulator.expireAccessTokens();
    const b = await authorize(emulator);
    expect(
      (await call(emulator, "/api/v4/account", { token: a.access_token }))
        .status,
    ).toBe(401);
    expect(
      (await call(emulator, "/api/v4/account", { token: b.access_token }))
        .status,
    ).toBe(200);

    emulator.advanceClock(DAY_MS);
    expect(
      (await call(emulator, "/api/v4/account", { token: b.access_token }))
        .status,
    ).toBe(401);
  });

  it("accepts a long-lived token until 00:00 UTC of its date", async () => {
    const token = emulator.issueLongLivedToken(
      new Date("2026-01-20T15:30:00Z"),
    );
    const payload = jwt.decode(token) as { exp: number; grant_type: string };
    expect(payload.exp).toBe(Date.UTC(2026, 0, 20) / 1000);
    expect(payload.grant_type).toBe("");
    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      200,
    );

    emulator.advanceClock(Date.UTC(2026, 0, 20) - START_MS - 1000);
    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      200,
    );
    emulator.advanceClock(1000);
    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      401,
    );
  });

  it("cannot refresh a long-lived token and stops accepting it when revoked", async () => {
    const token = emulator.issueLongLivedToken(
      new Date("2027-01-01T00:00:00Z"),
    );
    const refresh = await tokenRequest(emulator, {
      grant_type: "refresh_token",
      refresh_token: token,
    });
    expect(refresh.status).toBe(401);

    emulator.revokeToken(token);
    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      401,
    );
  });
});
