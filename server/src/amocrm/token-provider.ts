import type { AmocrmSettings } from "../../../shared/settings.js";
import type { Config } from "../config/load-config.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import type { AmoAccount } from "./api-types.js";
import type { AmocrmHttp } from "./http-types.js";
import { notConnected, problemOf } from "./describe-connection-problem.js";
import { exchangeStoredCode } from "./exchange-stored-code.js";
import { fingerprintToken } from "./fingerprint-token.js";
import {
  readLongLivedToken,
  rejectLongLivedToken,
} from "./read-long-lived-token.js";
import { redirectUriOf } from "./redirect-uri.js";
import { renewTokenPair } from "./renew-token-pair.js";
import { REFRESH_TOKEN_LIFETIME_MS } from "./request-token-pair.js";
import {
  isAccessFresh,
  type RenewedTokens,
  type TokenContext,
} from "./token-context.js";
import type { TokenRecord, TokenStore } from "./token-store.js";

// A refresh token unused for 3 months dies; renewing once it is a week old
// keeps an idle connection alive (reference amocrm §1.4: weekly or daily).
export const REFRESH_TOKEN_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

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

/**
 * One provider per process. It keeps the in-process single-flight: the
 * refresh token works once, so concurrent callers share one renewal.
 */
export function createTokenProvider(
  options: CreateTokenProviderOptions,
): TokenProvider {
  const ctx = tokenContextOf(options);
  const { store, secrets } = options;
  const inflight = new Map<"refresh", Promise<RenewedTokens>>();

  function refreshOnce(seen: TokenRecord): Promise<RenewedTokens> {
    const running = inflight.get("refresh");
    if (running) return running;

    const started = renewTokenPair(ctx, seen).finally(() =>
      inflight.delete("refresh"),
    );
    inflight.set("refresh", started);
    return started;
  }

  return {
    async getAccessToken() {
      const settings = await requireSettings(ctx);
      if (settings.longLivedToken)
        return readLongLivedToken({ secrets, settings, now: ctx.now() });

      const record = await store.read();
      if (isAccessFresh(record, ctx.now())) return record.accessToken ?? "";
      if (!record.refreshToken) throw notConnected(record);
      return (await refreshOnce(record)).accessToken;
    },

    async onUnauthorized(rejectedToken, error) {
      const settings = await requireSettings(ctx);
      if (settings.longLivedToken) {
        // Long-lived tokens are never refreshed (reference amocrm §2).
        const rejected = rejectLongLivedToken(error);
        const problem = {
          ...problemOf(rejected),
          tokenFingerprint: fingerprintToken(rejectedToken),
        };
        await store.setState("needs_attention", problem, "long_lived");
        throw rejected;
      }

      // Callers that failed with an older token take the renewed one.
      const record = await store.read();
      if (
        record.accessToken !== rejectedToken &&
        isAccessFresh(record, ctx.now())
      )
        return record.accessToken ?? "";
      if (!record.refreshToken) throw notConnected(record);
      return (await refreshOnce(record)).accessToken;
    },

    async markRejected(error) {
      await store.setState("needs_attention", problemOf(error));
      ctx.log.error({ err: error }, "amoCRM refused a freshly renewed token");
    },

    async refresh() {
      await requireSettings(ctx);
      return refreshOnce(await store.read());
    },

    async exchangeCode() {
      await requireSettings(ctx);
      return exchangeStoredCode({ ...ctx, secrets });
    },

    async refreshIfAgeing() {
      const settings = await ctx.settings.amocrm();
      if (!settings || settings.longLivedToken) return false;

      const record = await store.read();
      if (!record.refreshToken) return false;
      const now = ctx.now();
      if (!isAgeing(record, now) && isAccessFresh(record, now)) return false;
      return (await refreshOnce(record)).rotated;
    },
  };
}

function tokenContextOf(options: CreateTokenProviderOptions): TokenContext {
  return {
    store: options.store,
    http: options.http,
    settings: options.settings,
    client: {
      clientId: options.config.amocrm.clientId,
      clientSecret: options.config.amocrm.clientSecret,
      redirectUri: redirectUriOf(options.config.publicUrl),
    },
    now: options.now ?? (() => new Date()),
    log: options.log.child({ name: "amocrm-tokens" }),
  };
}

async function requireSettings(ctx: TokenContext): Promise<AmocrmSettings> {
  const settings = await ctx.settings.amocrm();
  if (settings) return settings;
  throw new AppError(
    "amocrm_not_configured",
    "amoCRM is not set up: enter the account host in the settings and press Check",
    { status: 409 },
  );
}

/** True when the refresh token was issued more than a week ago. */
function isAgeing(record: TokenRecord, now: Date): boolean {
  if (!record.refreshExpiresAt) return false;
  const issuedAt =
    record.refreshExpiresAt.getTime() - REFRESH_TOKEN_LIFETIME_MS;
  return now.getTime() - issuedAt >= REFRESH_TOKEN_MAX_AGE_MS;
}
