import { AppError, isAppError } from "../errors.js";
import { FRESH_CODE_ADVICE } from "./advise-on-amocrm-error.js";
import type { AmoAccount } from "./api-types.js";
import { bindAccount } from "./bind-account.js";
import { isoDate } from "./describe-long-lived-token.js";
import { notConnected, problemOf } from "./describe-connection-problem.js";
import { fetchAccount } from "./fetch-account.js";
import { refreshTokens } from "./refresh-tokens.js";
import {
  isAccessFresh,
  type RenewedTokens,
  type TokenContext,
} from "./token-context.js";
import type { TokenRecord, TokenStore } from "./token-store.js";

/**
 * Renews the pair under the row lock. `seen` is the record the caller
 * judged: if the stored version moved on and its token is fresh, another
 * process already rotated the pair and that pair is used instead.
 */
export async function renewTokenPair(
  ctx: TokenContext,
  seen: TokenRecord,
): Promise<RenewedTokens> {
  const outcome = await ctx.store.withLock(async (locked) => {
    const current = await locked.read();
    if (current.version !== seen.version && isAccessFresh(current, ctx.now()))
      return { record: current, rotated: false };
    return { record: await rotate(ctx, locked, current), rotated: true };
  });

  const accessToken = outcome.record.accessToken ?? "";
  if (!outcome.rotated) return { accessToken, account: null, rotated: false };
  const account = await verifyAccount(ctx, accessToken);
  return { accessToken, account, rotated: true };
}

async function rotate(
  ctx: TokenContext,
  locked: TokenStore,
  current: TokenRecord,
): Promise<TokenRecord> {
  const refreshToken = usableRefreshToken(current, ctx.now());
  const pair = await refreshTokens({ ...ctx, refreshToken }).catch(
    async (error: unknown) => {
      await recordRefreshFailure(ctx, locked, error);
      throw error;
    },
  );

  // Persisted before anyone uses it: the old refresh token is already dead
  // (reference amocrm §1.4), so this pair is the connection.
  const saved = await locked.savePair(pair);
  ctx.log.info(
    {
      version: saved.version,
      accessExpiresAt: pair.accessExpiresAt.toISOString(),
    },
    "amoCRM tokens refreshed",
  );
  return saved;
}

async function recordRefreshFailure(
  ctx: TokenContext,
  locked: TokenStore,
  error: unknown,
): Promise<void> {
  if (!isAppError(error) || error.retryable) return;
  // amoCRM refuses a dead refresh token with 400/401 and a hint (reference
  // amocrm §1.6); dropping it lets the next Check go straight to the
  // authorization code. A 403 block page says nothing about the token.
  const status = error.remote?.status;
  if (status === 400 || status === 401) await locked.clearRefreshToken();
  await locked.setState("needs_attention", problemOf(error), "oauth");
  ctx.log.error({ err: error }, "amoCRM refused the refresh token");
}

/**
 * The renewed pair must answer for the bound account. If amoCRM cannot say
 * right now, the pair (renewed from a bound one) is kept and used, and the
 * waiting callers are not failed for it.
 */
async function verifyAccount(
  ctx: TokenContext,
  accessToken: string,
): Promise<AmoAccount | null> {
  const account = await fetchAccount(ctx.http, accessToken).catch(
    (err: unknown) => {
      ctx.log.warn({ err }, "amoCRM account check after a refresh failed");
      return null;
    },
  );
  if (!account) return null;

  try {
    await bindAccount(ctx.settings, account);
  } catch (error) {
    // The pair was stored before this check; a foreign pair must not stay.
    await ctx.store.clearPair();
    await ctx.store.setState("needs_attention", problemOf(error), "oauth");
    throw error;
  }
  return account;
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
