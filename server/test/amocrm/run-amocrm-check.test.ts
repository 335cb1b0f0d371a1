import type { AxiosInstance } from "axios";
import axios from "axios";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import {
  FRESH_CODE_ADVICE,
  NEW_LONG_LIVED_TOKEN_ADVICE,
} from "../../src/amocrm/advise-on-amocrm-error.js";
import type { DatabaseConfig } from "../../src/db/create-database.js";
import { postgresAvailable } from "../helpers/postgres.js";
import {
  createScratchSchema,
  type ScratchSchema,
} from "./helpers/scratch-schema.js";
import {
  connectWithCode,
  requestLines,
  startTestConnection,
  type TestConnectionOptions,
  type TestConnection,
} from "./helpers/start-test-connection.js";

const DAY_MS = 24 * 60 * 60 * 1000;

const pgReady = await postgresAvailable();
let emulator: AmocrmEmulator;

beforeAll(async () => {
  emulator = await startAmocrmEmulator({ rateLimitPerSecond: 0 });
});

afterAll(async () => {
  await emulator.stop();
});

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

function stepOutcomes(result: { steps: { id: string; outcome: string }[] }) {
  return result.steps.map((s) => `${s.id}:${s.outcome}`);
}

/** A wire that notes what the store holds while each account request leaves. */
function accountRequestWatcher(read: () => Promise<string | null>): {
  wire: AxiosInstance;
  storedDuringAccountCheck: (string | null)[];
  issuedRefreshTokens: string[];
} {
  const storedDuringAccountCheck: (string | null)[] = [];
  const issuedRefreshTokens: string[] = [];
  const wire = axios.create();
  wire.interceptors.request.use(async (config) => {
    if (String(config.url).endsWith("/api/v4/account"))
      storedDuringAccountCheck.push(await read());
    return config;
  });
  wire.interceptors.response.use((response) => {
    if (String(response.config.url).endsWith("/oauth2/access_token")) {
      const body = JSON.parse(String(response.data)) as Record<string, unknown>;
      if (typeof body.refresh_token === "string")
        issuedRefreshTokens.push(body.refresh_token);
    }
    return response;
  });
  return { wire, storedDuringAccountCheck, issuedRefreshTokens };
}

/**
 * Every branch of the Check against one database. PostgreSQL runs the
 * token writes inside a row-lock transaction, SQLite does not: failures
 * must be recorded on both.
 */
function describeCheck(
  databaseName: string,
  database: () => DatabaseConfig | undefined,
) {
  let test: TestConnection | null = null;

  afterEach(async () => {
    if (test) await clearConnection(test);
    await test?.close();
    test = null;
    emulator.reset();
  });

  function start(
    options: Partial<TestConnectionOptions> = {},
  ): Promise<TestConnection> {
    return startTestConnection({ emulator, database: database(), ...options });
  }

  describe(`runAmocrmCheck with a long-lived token on ${databaseName}`, () => {
    async function startLongLived(expiresInDays: number) {
      const expiresOn = isoDay(expiresInDays);
      test = await start({
        settings: { longLivedToken: true, tokenExpiresOn: expiresOn },
      });
      const token = emulator.issueLongLivedToken(
        new Date(`${expiresOn}T00:00:00Z`),
      );
      await test.secrets.put("amocrm.long_lived_token", token);
      emulator.clearRequests();
      return { test, token };
    }

    it("passes with one account request while the token is valid", async () => {
      const { test } = await startLongLived(60);

      const result = await test.connection.check();

      expect(result.ok).toBe(true);
      expect(stepOutcomes(result)).toEqual([
        "long_lived_expiry:ok",
        "account:ok",
      ]);
      expect(result.steps[1]?.title).toBe(
        `amoCRM answered for account ООО «Ромашка» (acme, id ${emulator.accountId})`,
      );
      expect(requestLines(emulator)).toEqual(["GET /api/v4/account 200"]);
      expect((await test.settings.amocrm())?.accountId).toBe(
        emulator.accountId,
      );
    });

    it("fails at once without a request when the date has passed", async () => {
      const { test } = await startLongLived(-2);

      const result = await test.connection.check();

      expect(result.ok).toBe(false);
      expect(result.steps).toEqual([
        {
          id: "long_lived_expiry",
          title: `The long-lived token expired on ${isoDay(-2)}`,
          titleKey: "long_lived_expired",
          titleParams: { date: isoDay(-2) },
          outcome: "failed",
          advice: NEW_LONG_LIVED_TOKEN_ADVICE,
        },
      ]);
      expect(requestLines(emulator)).toEqual([]);
      expect((await test.connection.view()).state).toBe("expired");
    });

    it("reports amoCRM's 401 and needs attention when the token was revoked", async () => {
      const { test, token } = await startLongLived(60);
      emulator.revokeToken(token);

      const result = await test.connection.check();

      expect(result.ok).toBe(false);
      expect(result.steps[1]).toEqual({
        id: "account",
        title: "amoCRM did not return the account data",
        titleKey: "account_failed",
        outcome: "failed",
        serverMessage: "401 Unauthorized (Неверный логин или пароль)",
        advice: NEW_LONG_LIVED_TOKEN_ADVICE,
      });
      // A long-lived token is never refreshed: one request, no token call.
      expect(requestLines(emulator)).toEqual(["GET /api/v4/account 401"]);
      const view = await test.connection.view();
      expect(view.state).toBe("needs_attention");
      expect(view.message).toContain(
        "401 Unauthorized (Неверный логин или пароль)",
      );
    });
  });

  describe(`runAmocrmCheck with OAuth on ${databaseName}`, () => {
    it("renews with a valid refresh token, then reads the account", async () => {
      test = await start();
      await connectWithCode(test, emulator);
      emulator.clearRequests();

      const result = await test.connection.check();

      expect(result.ok).toBe(true);
      expect(stepOutcomes(result)).toEqual([
        "clear_access_token:ok",
        "refresh_token_expiry:ok",
        "refresh:ok",
        "exchange_code:skipped",
        "account:ok",
      ]);
      expect(requestLines(emulator)).toEqual([
        "POST /oauth2/access_token 200",
        "GET /api/v4/account 200",
      ]);
    });

    it("drops an expired refresh token and connects with a valid code", async () => {
      test = await start();
      await connectWithCode(test, emulator);
      emulator.expireRefreshTokens();
      test.clock.advanceDays(91);
      await test.secrets.put("amocrm.auth_code", emulator.issueAuthCode());
      emulator.clearRequests();

      const result = await test.connection.check();

      expect(result.ok).toBe(true);
      expect(stepOutcomes(result)).toEqual([
        "clear_access_token:ok",
        "refresh_token_expiry:ok",
        "refresh:skipped",
        "exchange_code:ok",
        "account:ok",
      ]);
      expect(result.steps[1]?.title).toMatch(
        /^Removed the refresh token: it expired on \d{4}-\d\d-\d\d$/,
      );
      expect(requestLines(emulator)).toEqual([
        "POST /oauth2/access_token 200",
        "GET /api/v4/account 200",
      ]);
      expect((await test.connection.view()).state).toBe("ok");
    });

    it("explains a used authorization code after the refresh token expired", async () => {
      test = await start();
      await connectWithCode(test, emulator);
      emulator.expireRefreshTokens();
      test.clock.advanceDays(91);
      emulator.clearRequests();

      const result = await test.connection.check();

      expect(result.ok).toBe(false);
      expect(result.steps[3]).toEqual({
        id: "exchange_code",
        title: "amoCRM did not give tokens for the authorization code",
        titleKey: "code_failed",
        outcome: "failed",
        serverMessage:
          "400 Authorization code has been revoked (Некорректный запрос; В запросе отсутствует ряд параметров или параметры невалидны)",
        advice: FRESH_CODE_ADVICE,
      });
      expect(stepOutcomes(result).at(-1)).toBe("account:skipped");
      expect(requestLines(emulator)).toEqual(["POST /oauth2/access_token 400"]);
      expect((await test.connection.view()).state).toBe("needs_attention");
    });

    it("says what to paste when nothing usable is stored, without a request", async () => {
      test = await start();
      emulator.clearRequests();

      const result = await test.connection.check();

      expect(result.ok).toBe(false);
      expect(stepOutcomes(result)).toEqual([
        "clear_access_token:ok",
        "refresh_token_expiry:skipped",
        "refresh:skipped",
        "exchange_code:failed",
        "account:skipped",
      ]);
      expect(result.steps[3]).toMatchObject({
        title: "No authorization code is stored",
        advice:
          "Open the integration's Keys and scopes tab in amoCRM, copy the authorization code, paste it in the settings and press Check within 20 minutes.",
      });
      expect(requestLines(emulator)).toEqual([]);
    });

    it("keeps nothing when the code belongs to another account", async () => {
      test = await start({
        settings: { accountId: 777 },
      });
      await test.secrets.put("amocrm.auth_code", emulator.issueAuthCode());
      emulator.clearRequests();

      const result = await test.connection.check();

      expect(result.ok).toBe(false);
      expect(result.steps.at(-1)).toEqual({
        id: "account",
        title: "The token belongs to another amoCRM account",
        titleKey: "account_mismatch",
        outcome: "failed",
        serverMessage: undefined,
        advice: `The token belongs to amoCRM account ${emulator.accountId} (acme), but amo1c works with account 777; nothing was saved. Sign in to account 777, copy the authorization code from the integration's Keys and scopes tab there, paste it and press Check again.`,
      });
      expect(requestLines(emulator)).toEqual([
        "POST /oauth2/access_token 200",
        "GET /api/v4/account 200",
      ]);
      const record = await test.connection.store.read();
      expect(record).toMatchObject({
        accessToken: null,
        refreshToken: null,
        state: "needs_attention",
        problem: { code: "amocrm_account_mismatch" },
      });
      expect((await test.settings.amocrm())?.accountId).toBe(777);
    });

    it("falls back to the code when amoCRM revoked the refresh token", async () => {
      test = await start();
      await connectWithCode(test, emulator);
      const { refreshToken } = await test.connection.store.read();
      emulator.revokeToken(refreshToken ?? "");
      await test.secrets.put("amocrm.auth_code", emulator.issueAuthCode());
      emulator.clearRequests();

      const result = await test.connection.check();

      expect(result.ok).toBe(true);
      expect(stepOutcomes(result)).toEqual([
        "clear_access_token:ok",
        "refresh_token_expiry:ok",
        "refresh:failed",
        "exchange_code:ok",
        "account:ok",
      ]);
      expect(result.steps[2]?.serverMessage).toMatch(
        /^401 Token has been revoked/,
      );
      expect(requestLines(emulator)).toEqual([
        "POST /oauth2/access_token 401",
        "POST /oauth2/access_token 200",
        "GET /api/v4/account 200",
      ]);
    });

    it("saves nothing when a refresh answers for another account", async () => {
      let stored: TestConnection | null = null;
      const watcher = accountRequestWatcher(
        async () =>
          (await stored?.connection.store.read())?.refreshToken ?? null,
      );
      test = stored = await start({ axios: watcher.wire });
      await connectWithCode(test, emulator);
      const before = await test.connection.store.read();
      // The integration is bound to account 777; the stored pair, and so
      // the refresh, belongs to the emulator's account.
      const settings = await test.settings.amocrm();
      await test.settings.put("amocrm", { ...settings!, accountId: 777 });
      watcher.storedDuringAccountCheck.length = 0;
      emulator.clearRequests();

      const result = await test.connection.check();

      expect(result.ok).toBe(false);
      expect(stepOutcomes(result)).toEqual([
        "clear_access_token:ok",
        "refresh_token_expiry:ok",
        "refresh:ok",
        "exchange_code:skipped",
        "account:failed",
      ]);
      expect(result.steps.at(-1)).toMatchObject({
        title: "The token belongs to another amoCRM account",
        advice: expect.stringContaining(
          `The token belongs to amoCRM account ${emulator.accountId} (acme), but amo1c works with account 777; nothing was saved.`,
        ),
      });
      expect(requestLines(emulator)).toEqual([
        "POST /oauth2/access_token 200",
        "GET /api/v4/account 200",
      ]);
      // While amoCRM was asked for the account, the new pair was not stored.
      expect(watcher.storedDuringAccountCheck).toEqual([before.refreshToken]);
      const foreign = watcher.issuedRefreshTokens.at(-1);
      expect(foreign).not.toBe(before.refreshToken);
      expect(await test.connection.store.read()).toMatchObject({
        accessToken: null,
        refreshToken: null,
        state: "needs_attention",
        problem: { code: "amocrm_account_mismatch" },
      });
      expect((await test.connection.view()).state).toBe("needs_attention");
      expect((await test.settings.amocrm())?.accountId).toBe(777);
    });
  });
}

async function clearConnection(test: TestConnection): Promise<void> {
  for (const table of ["amocrm_tokens", "secrets", "settings"] as const)
    await test.handle.db.deleteFrom(table).execute();
}

describeCheck("SQLite", () => undefined);

describe.runIf(pgReady)("the Check on PostgreSQL", () => {
  let schema: ScratchSchema;

  beforeAll(async () => {
    schema = await createScratchSchema("amocrm_check");
  });

  afterAll(async () => {
    await schema.drop();
  });

  describeCheck("PostgreSQL", () => ({ kind: "postgres", url: schema.url }));
});
