import type { AmocrmSettings } from "../../../shared/settings.js";
import type { Config } from "../config/load-config.js";
import { AppError, isAppError } from "../errors.js";
import type { Logger } from "../log.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import { FRESH_CODE_ADVICE } from "./advise-on-amocrm-error.js";
import type { AmoAccount } from "./api-types.js";
import { bindAccount } from "./bind-account.js";
import type { AmocrmHttp } from "./create-http-client.js";
import { isoDate } from "./describe-long-lived-token.js";
import { exchangeCode } from "./exchange-code.js";
import { fetchAccount } from "./fetch-account.js";
import {
  readLongLivedToken,
  rejectLongLivedToken,
} from "./read-long-lived-token.js";
import { redirectUriOf } from "./redirect-uri.js";
import { refreshTokens } from "./refresh-tokens.js";
import {
  REFRESH_TOKEN_LIFETIME_MS,
  type OauthClient,
} from "./request-token-pair.js";
import type {
  ConnectionProblem,
  TokenRecord,
  TokenStore,
} from "./token-store.js";

// Refresh a few minutes early so a request never leaves with a token that
// dies on the way (reference amocrm §8.3).
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;

// A refresh token unused for 3 months dies; refreshing once it is a week old
// keeps an idle connection alive (reference amocrm §1.4: weekly or daily).
export const REFRESH_TOKEN_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface RenewedTokens {
  accessToken: string;
  /** The account the new token answered for; null when another caller renewed. */
  account: AmoAccount | null;
  /** False when another caller or process had already renewed the pair. */
  rotated: boolean;
}

/** Hands out a working access token and keeps the OAuth pair alive. */
export interface TokenProvider {
  getAccessToken(): Promise<string>;
  /** After a 401: a renewed token to retry with once, or a thrown error. */
  onUnauthorized(rejectedToken: string, error: AppError): Promise<string>;
  /** The retried request was refused again: the connection needs a person. */
  markRejected(error: AppError): Promise<void>;
  /** Renews the pair now (single-flight, serialised across processes). */
  refresh(): Promise<RenewedTokens>;
  /** Trades the stored authorization code for a pair. */
  exchangeCode(): Promise<RenewedTokens & { account: AmoAccount }>;
  /** For a timer: renews an ageing pair; true when this call rotated it. */
  refreshIfAgeing(): Promise<boolean>;
}

export interface CreateTokenProviderOptions {
  store: TokenStore;
  secrets: Pick<SecretStore, "get">;
  settings: Pick<SettingsStore, "amocrm" | "put">;
  http: AmocrmHttp;
  config: Pick<Config, "amocrm" | "publicUrl">;
  log: Logger;
  now?: (() => Date) | undefined;
}

export function createTokenProvider(
  options: CreateTokenProviderOptions,
): TokenProvider {
  const { store, http, settings } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log.child({ name: "amocrm-tokens" });
  const client = oauthClientOf(options.config);
  // One renewal at a time in this process: the refresh token works once.
  const inflight = new Map<"refresh", Promise<RenewedTokens>>();

  const isFresh = (record: TokenRecord): boolean =>
    record.accessToken !== null &&
    record.accessExpiresAt !== null &&
    record.accessExpiresAt.getTime() - now().getTime() >
      TOKEN_REFRESH_MARGIN_MS;

  function refreshOnce(seen: TokenRecord): Promise<RenewedTokens> {
    const running = inflight.get("refresh");
    if (running) return running;

    const started = renew(seen).finally(() => inflight.delete("refresh"));
    inflight.set("refresh", started);
    return started;
  }

  async function renew(seen: TokenRecord): Promise<RenewedTokens> {
    const outcome = await store.withLock(async (locked) => {
      // Another process may have rotated the pair while we waited.
      const current = await locked.read();
      if (current.version !== seen.version && isFresh(current))
        return { record: current, rotated: false };
      return { record: await rotate(locked, current), rotated: true };
    });

    const accessToken = outcome.record.accessToken ?? "";
    if (!outcome.rotated) return { accessToken, account: null, rotated: false };
    return {
      accessToken,
      account: await verifyAccount(accessToken),
      rotated: true,
    };
  }

  async function rotate(locked: TokenStore, current: TokenRecord) {
    const refreshToken = usableRefreshToken(current, now());
    const pair = await refreshTokens({ http, client, now, refreshToken }).catch(
      async (error: unknown) => {
        await recordRefreshFailure(locked, error);
        throw error;
      },
    );

    // Persisted before anyone uses it: losing it would lose the connection.
    const saved = await locked.savePair(pair);
    log.info(
      {
        version: saved.version,
        accessExpiresAt: pair.accessExpiresAt.toISOString(),
      },
      "amoCRM tokens refreshed",
    );
    return saved;
  }

  async function recordRefreshFailure(locked: TokenStore, error: unknown) {
    if (!isAppError(error) || error.retryable) return;
    // amoCRM refuses a dead refresh token with 400/401 and a hint
    // (reference amocrm §1.6); dropping it lets the next Check go straight
    // to the authorization code. A 403 block page says nothing about the
    // token, so the token stays.
    const status = error.remote?.status;
    if (status === 400 || status === 401) await locked.clearRefreshToken();
    await locked.setState("needs_attention", problemOf(error), "oauth");
    log.error({ err: error }, "amoCRM refused the refresh token");
  }

  async function verifyAccount(accessToken: string): Promise<AmoAccount> {
    const account = await fetchAccount(http, accessToken);
    try {
      await bindAccount(settings, account);
    } catch (error) {
      // The pair was stored before the check; a foreign pair must not stay.
      await store.clearPair();
      await store.setState("needs_attention", problemOf(error), "oauth");
      throw error;
    }
    return account;
  }

  async function exchangeStoredCode() {
    const code = await options.secrets.get("amocrm.auth_code");
    if (!code) throw noAuthCode();

    return store.withLock(async (locked) => {
      const pair = await exchangeCode({ http, client, now, code }).catch(
        async (error: unknown) => {
          // A refused code matters only when it was the way in.
          if (!(await locked.read()).refreshToken)
            await locked.setState("needs_attention", problemOf(error), "oauth");
          throw error;
        },
      );
      const account = await fetchAccount(http, pair.accessToken);
      await bindAccount(settings, account).catch(async (error: unknown) => {
        // Nothing of a foreign account is kept; only the reason is.
        await locked.setState("needs_attention", problemOf(error), "oauth");
        throw error;
      });

      const saved = await locked.savePair(pair);
      log.info(
        { version: saved.version, accountId: account.id },
        "amoCRM connected with an authorization code",
      );
      return { accessToken: pair.accessToken, account, rotated: true };
    });
  }

  async function currentSettings(): Promise<AmocrmSettings> {
    const current = await settings.amocrm();
    if (current) return current;
    throw new AppError(
      "amocrm_not_configured",
      "amoCRM is not set up: enter the account host in the settings and press Check",
      { status: 409 },
    );
  }

  return {
    async getAccessToken() {
      const current = await currentSettings();
      if (current.longLivedToken)
        return readLongLivedToken({
          secrets: options.secrets,
          settings: current,
          now: now(),
        });

      const record = await store.read();
      if (record.accessToken && isFresh(record)) return record.accessToken;
      if (!record.refreshToken) throw notConnected(record);
      return (await refreshOnce(record)).accessToken;
    },

    async onUnauthorized(rejectedToken, error) {
      const current = await currentSettings();
      if (current.longLivedToken) {
        // Long-lived tokens are never refreshed (reference amocrm §2).
        const rejected = rejectLongLivedToken(error);
        await store.setState(
          "needs_attention",
          problemOf(rejected),
          "long_lived",
        );
        throw rejected;
      }

      const record = await store.read();
      if (record.accessToken !== rejectedToken && isFresh(record))
        return record.accessToken ?? "";
      if (!record.refreshToken) throw notConnected(record);
      return (await refreshOnce(record)).accessToken;
    },

    async markRejected(error) {
      await store.setState("needs_attention", problemOf(error));
      log.error({ err: error }, "amoCRM refused a freshly renewed token");
    },

    async refresh() {
      await currentSettings();
      return refreshOnce(await store.read());
    },

    async exchangeCode() {
      await currentSettings();
      return exchangeStoredCode();
    },

    async refreshIfAgeing() {
      const current = await settings.amocrm();
      if (!current || current.longLivedToken) return false;

      const record = await store.read();
      if (!record.refreshToken) return false;
      if (!isAgeing(record, now()) && isFresh(record)) return false;
      return (await refreshOnce(record)).rotated;
    },
  };
}

function oauthClientOf(
  config: CreateTokenProviderOptions["config"],
): OauthClient {
  return {
    clientId: config.amocrm.clientId,
    clientSecret: config.amocrm.clientSecret,
    redirectUri: redirectUriOf(config.publicUrl),
  };
}

/** True when the refresh token was issued more than a week ago. */
function isAgeing(record: TokenRecord, now: Date): boolean {
  if (!record.refreshToken || !record.refreshExpiresAt) return false;
  const issuedAt =
    record.refreshExpiresAt.getTime() - REFRESH_TOKEN_LIFETIME_MS;
  return now.getTime() - issuedAt >= REFRESH_TOKEN_MAX_AGE_MS;
}

function usableRefreshToken(record: TokenRecord, now: Date): string {
  if (!record.refreshToken) throw notConnected(record);
  if (record.refreshExpiresAt && record.refreshExpiresAt <= now) {
    throw new AppError(
      "amocrm_token_expired",
      `The refresh token expired on ${isoDate(record.refreshExpiresAt)}: amoCRM drops it after 3 months without use. ${FRESH_CODE_ADVICE}`,
      { status: 409, source: "amocrm" },
    );
  }
  return record.refreshToken;
}

function notConnected(record: TokenRecord): AppError {
  if (record.problem) {
    return new AppError(record.problem.code, record.problem.message, {
      status: 409,
      source: "amocrm",
    });
  }
  return new AppError(
    "amocrm_not_configured",
    "amoCRM is not connected: copy the authorization code from the integration's Keys and scopes tab, paste it in the settings and press Check",
    { status: 409 },
  );
}

function noAuthCode(): AppError {
  return new AppError(
    "amocrm_not_configured",
    "No authorization code is stored: open the integration's Keys and scopes tab in amoCRM, copy the authorization code, paste it in the settings and press Check",
    { status: 409 },
  );
}

export function problemOf(error: unknown): ConnectionProblem {
  if (isAppError(error)) return { code: error.code, message: error.message };
  return {
    code: "amocrm_request_failed",
    message: error instanceof Error ? error.message : String(error),
  };
}
