import { AppError, isAppError } from "../errors.js";
import { FRESH_CODE_ADVICE } from "./advise-on-amocrm-error.js";
import type { AmoAccount } from "./api-types.js";
import { bindAccount } from "./bind-account.js";
import { isoDate } from "./describe-long-lived-token.js";
import { notConnected } from "./describe-connection-problem.js";
import { fetchAccount } from "./fetch-account.js";
import { refreshTokens } from "./refresh-tokens.js";
import { settleRenewal, type LockedRenewal } from "./settle-renewal.js";
import {
  isAccessFresh,
  type RenewedTokens,
  type TokenContext,
} from "./token-context.js";
import type { TokenPair, TokenRecord, TokenStore } from "./token-store.js";

/**
 * Renews the pair under the row lock. `seen` is the record the caller
 * judged: if the stored version moved on and its token is fresh, another
 * process already rotated the pair and that pair is used instead.
 */
export async function renewTokenPair(
  ctx: TokenContext,
  seen: TokenRecord,
): Promise<RenewedTokens> {
  const outcome = await ctx.store.withLock(
    async (locked): Promise<LockedRenewal<RenewedTokens>> => {
      const current = await locked.read();
      if (current.version !== seen.version && isAccessFresh(current, ctx.now()))
        return { renewed: reuse(current) };
      return rotate(ctx, locked, current);
    },
  );
  return settleRenewal(ctx.store, outcome);
}

function reuse(record: TokenRecord): RenewedTokens {
  return {
    accessToken: record.accessToken ?? "",
    account: null,
    rotated: false,
  };
}

async function rotate(
  ctx: TokenContext,
  locked: TokenStore,
  current: TokenRecord,
): Promise<LockedRenewal<RenewedTokens>> {
  const refreshToken = usableRefreshToken(current, ctx.now());
  let pair: TokenPair;
  try {
    pair = await refreshTokens({ ...ctx, refreshToken });
  } catch (error) {
    return refused(ctx, current, error);
  }

  const account = await accountOf(ctx, pair.accessToken);
  if (account) {
    try {
      await bindAccount(ctx.settings, account);
    } catch (error) {
      // A foreign pair is never stored; the old one died with the refresh.
      return {
        error,
        failure: { error, version: current.version, drop: "pair" },
      };
    }
  }

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
  return { renewed: { accessToken: pair.accessToken, account, rotated: true } };
}

function refused(
  ctx: TokenContext,
  current: TokenRecord,
  error: unknown,
): LockedRenewal<RenewedTokens> {
  if (!isAppError(error) || error.retryable) return { error, failure: null };
  ctx.log.error({ err: error }, "amoCRM refused the refresh token");
  // amoCRM refuses a dead refresh token with 400/401 and a hint (reference
  // amocrm §1.6); dropping it lets the next Check go straight to the
  // authorization code. A 403 block page says nothing about the token.
  const status = error.remote?.status;
  const drop = status === 400 || status === 401 ? "refresh_token" : "nothing";
  return { error, failure: { error, version: current.version, drop } };
}

/**
 * The account the new pair answers for, or null when amoCRM cannot say
 * right now. Then the pair is kept all the same: the refresh already
 * killed the old refresh token (reference amocrm §1.4), so dropping the
 * new pair would lose the connection over a passing fault. It was renewed
 * from a bound pair, and the Check asks for the account again.
 */
async function accountOf(
  ctx: TokenContext,
  accessToken: string,
): Promise<AmoAccount | null> {
  return fetchAccount(ctx.http, accessToken).catch((err: unknown) => {
    ctx.log.warn({ err }, "amoCRM account check after a refresh failed");
    return null;
  });
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
