import { AppError } from "../errors.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { AmoAccount } from "./api-types.js";
import { bindAccount } from "./bind-account.js";
import { exchangeCode } from "./exchange-code.js";
import { fetchAccount } from "./fetch-account.js";
import { settleRenewal, type LockedRenewal } from "./settle-renewal.js";
import type { RenewedTokens, TokenContext } from "./token-context.js";
import type { TokenPair, TokenStore } from "./token-store.js";

export type ExchangeStoredCodeContext = TokenContext & {
  secrets: Pick<SecretStore, "get">;
};

type Connected = RenewedTokens & { account: AmoAccount };

/**
 * Trades the stored authorization code for a pair, checks the account the
 * pair belongs to, and only then stores it: a code from another account
 * leaves the current pair untouched (reference amocrm §8.7).
 */
export async function exchangeStoredCode(
  ctx: ExchangeStoredCodeContext,
): Promise<Connected> {
  const code = await ctx.secrets.get("amocrm.auth_code");
  if (!code) throw noAuthCode();

  const outcome = await ctx.store.withLock((locked) =>
    exchangeUnderLock(ctx, locked, code),
  );
  return settleRenewal(ctx.store, outcome);
}

async function exchangeUnderLock(
  ctx: TokenContext,
  locked: TokenStore,
  code: string,
): Promise<LockedRenewal<Connected>> {
  const current = await locked.read();
  let pair: TokenPair;
  try {
    pair = await exchangeCode({ ...ctx, code });
  } catch (error) {
    // A refused code matters only when it was the way in.
    if (current.refreshToken) return { error, failure: null };
    return {
      error,
      failure: { error, version: current.version, drop: "nothing" },
    };
  }

  const account = await fetchAccount(ctx.http, pair.accessToken);
  try {
    await bindAccount(ctx.settings, account);
  } catch (error) {
    return {
      error,
      failure: { error, version: current.version, drop: "nothing" },
    };
  }

  const saved = await locked.savePair(pair);
  ctx.log.info(
    { version: saved.version, accountId: account.id },
    "amoCRM connected with an authorization code",
  );
  return {
    renewed: { accessToken: pair.accessToken, account, rotated: true },
  };
}

function noAuthCode(): AppError {
  return new AppError(
    "amocrm_not_configured",
    "No authorization code is stored: open the integration's Keys and scopes tab in amoCRM, copy the authorization code, paste it in the settings and press Check",
    { status: 409 },
  );
}
