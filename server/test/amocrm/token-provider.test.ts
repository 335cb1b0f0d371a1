import axios from "axios";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import {
  connectWithCode,
  requestLines,
  startTestConnection,
  type TestConnection,
} from "./helpers/start-test-connection.js";

const LEAD_ID = 1100001;
const HOUR_MS = 60 * 60 * 1000;

let emulator: AmocrmEmulator;
const opened: TestConnection[] = [];

beforeAll(async () => {
  emulator = await startAmocrmEmulator({ rateLimitPerSecond: 0 });
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(async () => {
  // Closing twice is harmless; the last close removes the temp file.
  for (const test of opened.splice(0).reverse()) await test.close();
  emulator.reset();
  emulator.setRateLimit(0);
});

async function open(
  options: Partial<Parameters<typeof startTestConnection>[0]> = {},
) {
  const test = await startTestConnection({ emulator, ...options });
  opened.push(test);
  return test;
}

function countOf(lines: string[], line: string): number {
  return lines.filter((l) => l === line).length;
}

describe("createTokenProvider", () => {
  it("refreshes once for 100 concurrent calls whose token amoCRM expired", async () => {
    emulator.setRateLimit(0);
    const test = await open({ rateLimitPerSecond: 1000 });
    await connectWithCode(test, emulator);
    emulator.expireAccessTokens();
    emulator.clearRequests();

    const leads = await Promise.all(
      Array.from({ length: 100 }, () => test.connection.api.getLead(LEAD_ID)),
    );

    expect(leads.every((lead) => lead?.id === LEAD_ID)).toBe(true);
    const lines = requestLines(emulator);
    expect(countOf(lines, "POST /oauth2/access_token 200")).toBe(1);
    expect(countOf(lines, "GET /api/v4/account 200")).toBe(1);
    expect(countOf(lines, `GET /api/v4/leads/${LEAD_ID} 401`)).toBe(100);
    expect(countOf(lines, `GET /api/v4/leads/${LEAD_ID} 200`)).toBe(100);
    expect(lines).toHaveLength(202);
  });

  it("refreshes once, ahead of expiry, for 100 concurrent calls", async () => {
    emulator.setRateLimit(0);
    const test = await open({ rateLimitPerSecond: 1000 });
    await connectWithCode(test, emulator);
    // 23 h 57 min later the 24 h token is inside the 5-minute margin.
    test.clock.advance(24 * HOUR_MS - 3 * 60 * 1000);
    emulator.clearRequests();

    await Promise.all(
      Array.from({ length: 100 }, () => test.connection.api.getLead(LEAD_ID)),
    );

    const lines = requestLines(emulator);
    expect(lines.slice(0, 2)).toEqual([
      "POST /oauth2/access_token 200",
      "GET /api/v4/account 200",
    ]);
    expect(countOf(lines, `GET /api/v4/leads/${LEAD_ID} 200`)).toBe(100);
    expect(lines).toHaveLength(102);
  });

  it("still serves callers when the account check after a refresh fails", async () => {
    const test = await open();
    await connectWithCode(test, emulator);
    emulator.expireAccessTokens();
    emulator.injectFault({
      kind: "status500",
      count: 4,
      pathPrefix: "/api/v4/account",
    });
    emulator.clearRequests();

    await expect(test.connection.api.getLead(LEAD_ID)).resolves.toMatchObject({
      id: LEAD_ID,
    });

    expect(requestLines(emulator)).toEqual([
      `GET /api/v4/leads/${LEAD_ID} 401`,
      "POST /oauth2/access_token 200",
      ...Array(4).fill("GET /api/v4/account 500"),
      `GET /api/v4/leads/${LEAD_ID} 200`,
    ]);
    expect((await test.connection.view()).state).toBe("ok");
  });

  it("keeps the rotated pair across a restart", async () => {
    const first = await open();
    await connectWithCode(first, emulator);
    await first.connection.tokens.refresh();
    const rotated = await first.connection.store.read();
    await first.close({ keepDatabase: true });
    emulator.clearRequests();

    const sentRefreshTokens: unknown[] = [];
    const wire = axios.create();
    wire.interceptors.request.use((config) => {
      if (String(config.url).endsWith("/oauth2/access_token")) {
        const body = config.data as string | Record<string, unknown>;
        const fields = typeof body === "string" ? JSON.parse(body) : body;
        sentRefreshTokens.push(
          (fields as Record<string, unknown>).refresh_token,
        );
      }
      return config;
    });
    const second = await open({ database: first.databaseConfig, axios: wire });
    const account = await second.connection.api.getAccount();

    expect(account.id).toBe(emulator.accountId);
    expect(await second.connection.store.read()).toMatchObject({
      accessToken: rotated.accessToken,
      refreshToken: rotated.refreshToken,
      version: rotated.version,
    });
    expect(requestLines(emulator)).toEqual(["GET /api/v4/account 200"]);

    // The stored refresh token still works after the restart.
    emulator.expireAccessTokens();
    emulator.clearRequests();
    await expect(second.connection.api.getAccount()).resolves.toMatchObject({
      id: emulator.accountId,
    });

    expect(sentRefreshTokens).toEqual([rotated.refreshToken]);
    expect(requestLines(emulator)).toEqual([
      "GET /api/v4/account 401",
      "POST /oauth2/access_token 200",
      "GET /api/v4/account 200",
      "GET /api/v4/account 200",
    ]);
    const renewed = await second.connection.store.read();
    expect(renewed.refreshToken).not.toBe(rotated.refreshToken);
    expect(renewed).toMatchObject({ state: "ok" });
  });

  it("stores tokens encrypted, never as plain text", async () => {
    const test = await open();
    await connectWithCode(test, emulator);
    const record = await test.connection.store.read();

    const row = await test.handle.db
      .selectFrom("amocrm_tokens")
      .selectAll()
      .executeTakeFirstOrThrow();

    expect(row.access_token).toMatch(/^v1:/);
    expect(row.access_token).not.toContain(record.accessToken);
    expect(row.refresh_token).not.toContain(record.refreshToken);
  });

  it("renews an idle pair once the refresh token is a week old", async () => {
    const test = await open();
    await connectWithCode(test, emulator);
    emulator.clearRequests();

    expect(await test.connection.refreshIfAgeing()).toBe(false);
    test.clock.advance(8 * 24 * HOUR_MS);
    emulator.advanceClock(8 * 24 * HOUR_MS);
    expect(await test.connection.refreshIfAgeing()).toBe(true);
    expect(await test.connection.refreshIfAgeing()).toBe(false);

    expect(requestLines(emulator)).toEqual([
      "POST /oauth2/access_token 200",
      "GET /api/v4/account 200",
    ]);
  });

  it("needs attention when a renewed token is refused again", async () => {
    // At the wire: whatever token reaches the lead endpoint, amoCRM has
    // just revoked it, so the retry after the refresh is refused too.
    const wire = axios.create();
    wire.interceptors.request.use((config) => {
      const auth = String(config.headers.Authorization ?? "");
      if (config.url?.includes("/api/v4/leads/"))
        emulator.revokeToken(auth.replace(/^Bearer /, ""));
      return config;
    });
    const test = await open({ axios: wire });
    await connectWithCode(test, emulator);
    emulator.clearRequests();

    await expect(test.connection.api.getLead(LEAD_ID)).rejects.toMatchObject({
      code: "amocrm_unauthorized",
      source: "amocrm",
      retryable: false,
    });

    expect(requestLines(emulator)).toEqual([
      `GET /api/v4/leads/${LEAD_ID} 401`,
      "POST /oauth2/access_token 200",
      "GET /api/v4/account 200",
      `GET /api/v4/leads/${LEAD_ID} 401`,
    ]);
    const view = await test.connection.view();
    expect(view.state).toBe("needs_attention");
    expect(view.message).toMatch(
      /^amoCRM refused GET \/api\/v4\/leads\/1100001: 401 Unauthorized/,
    );
  });

  it("never refreshes a long-lived token and records amoCRM's refusal", async () => {
    const test = await open({ settings: { longLivedToken: true } });
    const token = emulator.issueLongLivedToken(
      new Date(Date.now() + 30 * 24 * HOUR_MS),
    );
    await test.secrets.put("amocrm.long_lived_token", token);
    emulator.revokeToken(token);
    emulator.clearRequests();

    await expect(test.connection.api.getAccount()).rejects.toMatchObject({
      code: "amocrm_unauthorized",
      remote: { status: 401 },
    });

    expect(requestLines(emulator)).toEqual(["GET /api/v4/account 401"]);
    const view = await test.connection.view();
    expect(view).toMatchObject({
      state: "needs_attention",
      mode: "long_lived",
    });
    expect(view.message).toMatch(
      /^amoCRM rejected the long-lived token \(401 Unauthorized/,
    );

    // A newly pasted token starts clean.
    const fresh = emulator.issueLongLivedToken(
      new Date(Date.now() + 30 * 24 * HOUR_MS),
    );
    await test.secrets.put("amocrm.long_lived_token", fresh);
    expect((await test.connection.view()).state).toBe("ok");
  });

  it("refuses an expired long-lived token without a request", async () => {
    const test = await open({ settings: { longLivedToken: true } });
    const token = emulator.issueLongLivedToken(
      new Date(Date.now() - 2 * 24 * HOUR_MS),
    );
    await test.secrets.put("amocrm.long_lived_token", token);
    emulator.clearRequests();

    await expect(test.connection.api.getAccount()).rejects.toMatchObject({
      code: "amocrm_token_expired",
    });
    expect(requestLines(emulator)).toEqual([]);
  });
});
