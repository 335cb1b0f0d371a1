import { AppError } from "../errors.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { AmoAccount } from "./api-types.js";
import { bindAccount } from "./bind-account.js";
import { problemOf } from "./describe-connection-problem.js";
import { exchangeCode } from "./exchange-code.js";
import { fetchAccount } from "./fetch-account.js";
import type { RenewedTokens, TokenContext } from "./token-context.js";

export type ExchangeStoredCodeContext = TokenContext & {
  secrets: Pick<SecretStore, "get">;
};

/**
 * Trades the stored authorization code for a pair, checks the account the
 * pair belongs to, and only then stores it: a code from another account
 * leaves the current pair untouched (reference amocrm §8.7).
 */
export async function exchangeStoredCode(
  ctx: ExchangeStoredCodeContext,
): Promise<RenewedTokens & { account: AmoAccount }> {
  const code = await ctx.secrets.get("amocrm.auth_code");
  if (!code) throw noAuthCode();

  return ctx.store.withLock(async (locked) => {
    const pair = await exchangeCode({ ...ctx, code }).catch(
      async (error: unknown) => {
        // A refused code matters only when it was the way in.
        if (!(await locked.read()).refreshToken)
          await locked.setState("needs_attention", problemOf(error), "oauth");
        throw error;
      },
    );
    const account = await fetchAccount(ctx.http, pair.accessToken);
    await bindAccount(ctx.settings, account).catch(async (error: unknown) => {
      await locked.setState("needs_attention", problemOf(error), "oauth");
      throw error;
    });

    const saved = await locked.savePair(pair);
    ctx.log.info(
      { version: saved.version, accountId: account.id },
      "amoCRM connected with an authorization code",
    );
    return { accessToken: pair.accessToken, account, rotated: true };
  });
}

function noAuthCode(): AppError {
  return new AppError(
    "amocrm_not_configured",
    "No authorization code is stored: open the integration's Keys and scopes tab in amoCRM, copy the authorization code, paste it in the settings and press Check",
    { status: 409 },
  );
}
