import type {
  CheckSideResult,
  CheckStep,
} from "../../../shared/check-result.js";
import type { AmocrmSettings } from "../../../shared/settings.js";
import { isAppError, toAppError, type AppError } from "../errors.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import {
  adviseOnAmocrmError,
  NEW_LONG_LIVED_TOKEN_ADVICE,
} from "./advise-on-amocrm-error.js";
import type { AmoAccount } from "./api-types.js";
import { bindAccount } from "./bind-account.js";
import type { AmocrmHttp } from "./create-http-client.js";
import {
  describeLongLivedToken,
  isoDate,
} from "./describe-long-lived-token.js";
import { fetchAccount } from "./fetch-account.js";
import { rejectLongLivedToken } from "./read-long-lived-token.js";
import {
  problemOf,
  type RenewedTokens,
  type TokenProvider,
} from "./token-provider.js";
import type { TokenMode, TokenStore } from "./token-store.js";

/** Failures raised before amoCRM answered about the account. */
const TOKEN_PHASE_CODES = new Set([
  "amocrm_token_refresh_failed",
  "amocrm_code_exchange_failed",
  "amocrm_token_expired",
  "amocrm_not_configured",
]);

export interface AmocrmCheckDeps {
  settings: Pick<SettingsStore, "amocrm" | "put">;
  secrets: Pick<SecretStore, "get">;
  store: TokenStore;
  tokens: TokenProvider;
  http: AmocrmHttp;
  now?: (() => Date) | undefined;
}

/**
 * The settings Check for amoCRM. Long-lived token: expiry date, then the
 * account. OAuth: clear the access token, drop an expired refresh token,
 * renew with the refresh token or else the authorization code, then ask for
 * the account with the new token.
 */
export async function runAmocrmCheck(
  deps: AmocrmCheckDeps,
): Promise<CheckSideResult> {
  const settings = await deps.settings.amocrm();
  if (!settings) {
    return finish([
      {
        id: "settings",
        title: "Read the amoCRM settings",
        outcome: "failed",
        advice:
          "Enter the account host, such as acme.amocrm.ru, save and press Check again.",
      },
    ]);
  }
  return settings.longLivedToken
    ? checkLongLived(deps, settings)
    : checkOauth(deps);
}

async function checkLongLived(
  deps: AmocrmCheckDeps,
  settings: AmocrmSettings,
): Promise<CheckSideResult> {
  const now = deps.now?.() ?? new Date();
  const token = await deps.secrets.get("amocrm.long_lived_token");
  if (!token) {
    return finish([
      {
        id: "long_lived_expiry",
        title: "No long-lived token is stored",
        outcome: "failed",
        advice: NEW_LONG_LIVED_TOKEN_ADVICE,
      },
    ]);
  }

  const { expiresAt, dateWarning } = describeLongLivedToken(token, settings);
  const warning = dateWarning ?? undefined;
  if (expiresAt && expiresAt <= now) {
    // Past its date: amoCRM would refuse it, so no request is sent.
    const advice = [NEW_LONG_LIVED_TOKEN_ADVICE, dateWarning]
      .filter(Boolean)
      .join(" ");
    return finish([
      {
        id: "long_lived_expiry",
        title: `The long-lived token expired on ${isoDate(expiresAt)}`,
        outcome: "failed",
        advice,
      },
    ]);
  }

  const expiryStep: CheckStep = {
    id: "long_lived_expiry",
    title: expiresAt
      ? `The long-lived token is valid until ${isoDate(expiresAt)}`
      : "The long-lived token names no expiry date",
    outcome: "ok",
    advice: warning,
  };
  return finish([expiryStep, await longLivedAccountStep(deps, token)]);
}

async function longLivedAccountStep(
  deps: AmocrmCheckDeps,
  token: string,
): Promise<CheckStep> {
  try {
    const account = await fetchAccount(deps.http, token);
    await bindAccount(deps.settings, account);
    await deps.store.setState("ok", null, "long_lived");
    return accountOk(account);
  } catch (caught) {
    const error = toAppError(caught);
    const recorded =
      error.code === "amocrm_unauthorized"
        ? rejectLongLivedToken(error)
        : error;
    await deps.store.setState(
      "needs_attention",
      problemOf(recorded),
      "long_lived",
    );
    return failed(
      "account",
      "amoCRM did not return the account data",
      error,
      "long_lived",
    );
  }
}

/** Where the OAuth part of the Check stands after each step. */
interface OauthProgress {
  steps: CheckStep[];
  renewed: RenewedTokens | null;
  /** A failure after new tokens were issued: the account step reports it. */
  accountError: AppError | null;
}

async function checkOauth(deps: AmocrmCheckDeps): Promise<CheckSideResult> {
  const progress: OauthProgress = {
    steps: [],
    renewed: null,
    accountError: null,
  };

  await deps.store.clearAccessToken();
  progress.steps.push({
    id: "clear_access_token",
    title: "Cleared the stored access token",
    outcome: "ok",
  });

  progress.steps.push(await dropExpiredRefreshToken(deps));
  await renewWithRefreshToken(deps, progress);
  await renewWithAuthCode(deps, progress);
  progress.steps.push(await oauthAccountStep(deps, progress));
  return finish(progress.steps);
}

async function dropExpiredRefreshToken(
  deps: AmocrmCheckDeps,
): Promise<CheckStep> {
  const id = "refresh_token_expiry";
  const record = await deps.store.read();
  if (!record.refreshToken)
    return { id, title: "No refresh token is stored", outcome: "skipped" };

  const expiresAt = record.refreshExpiresAt;
  if (expiresAt && expiresAt <= (deps.now?.() ?? new Date())) {
    await deps.store.clearRefreshToken();
    return {
      id,
      title: `Removed the refresh token: it expired on ${isoDate(expiresAt)}`,
      outcome: "ok",
    };
  }
  const until = expiresAt ? ` until ${isoDate(expiresAt)}` : "";
  return { id, title: `The refresh token is valid${until}`, outcome: "ok" };
}

async function renewWithRefreshToken(
  deps: AmocrmCheckDeps,
  progress: OauthProgress,
) {
  const id = "refresh";
  const record = await deps.store.read();
  if (!record.refreshToken) {
    progress.steps.push({
      id,
      title: "No refresh token to renew with",
      outcome: "skipped",
    });
    return;
  }

  const step = await attempt(id, () => deps.tokens.refresh(), progress);
  progress.steps.push(
    step ?? {
      id,
      title: "Got a new access token with the refresh token",
      outcome: "ok",
    },
  );
}

async function renewWithAuthCode(
  deps: AmocrmCheckDeps,
  progress: OauthProgress,
) {
  const id = "exchange_code";
  if (progress.renewed || progress.accountError) {
    progress.steps.push({
      id,
      title: "Not needed: the refresh token worked",
      outcome: "skipped",
    });
    return;
  }
  // A refresh token that failed for a passing reason may still be good;
  // spending the code now would not tell the admin anything new.
  if ((await deps.store.read()).refreshToken) {
    progress.steps.push({
      id,
      title:
        "Not tried: amoCRM did not refuse the refresh token itself, so it may still work; press Check again once the cause above is solved",
      outcome: "skipped",
    });
    return;
  }
  if (!(await deps.secrets.get("amocrm.auth_code"))) {
    progress.steps.push({
      id,
      title: "No authorization code is stored",
      outcome: "failed",
      advice:
        "Open the integration's Keys and scopes tab in amoCRM, copy the authorization code, paste it in the settings and press Check within 20 minutes.",
    });
    return;
  }

  const step = await attempt(id, () => deps.tokens.exchangeCode(), progress);
  progress.steps.push(
    step ?? {
      id,
      title: "Got new tokens with the authorization code",
      outcome: "ok",
    },
  );
}

/**
 * Runs a renewal; returns the failed step when the token request itself
 * failed, or null (tokens issued, or the account check failed after it).
 */
async function attempt(
  id: string,
  renew: () => Promise<RenewedTokens>,
  progress: OauthProgress,
): Promise<CheckStep | null> {
  try {
    progress.renewed = await renew();
    return null;
  } catch (caught) {
    const error = toAppError(caught);
    if (!TOKEN_PHASE_CODES.has(error.code)) {
      progress.accountError = error;
      return null;
    }
    return failed(id, titleForTokenFailure(error), error, "oauth");
  }
}

async function oauthAccountStep(
  deps: AmocrmCheckDeps,
  progress: OauthProgress,
): Promise<CheckStep> {
  const title = "amoCRM did not return the account data";
  if (progress.accountError)
    return failed("account", title, progress.accountError, "oauth");
  if (!progress.renewed)
    return {
      id: "account",
      title: "No token to ask amoCRM for the account with",
      outcome: "skipped",
    };

  if (progress.renewed.account) return accountOk(progress.renewed.account);
  // Another process renewed the pair meanwhile: ask with its token.
  try {
    const account = await fetchAccount(deps.http, progress.renewed.accessToken);
    await bindAccount(deps.settings, account);
    return accountOk(account);
  } catch (caught) {
    return failed("account", title, toAppError(caught), "oauth");
  }
}

function titleForTokenFailure(error: AppError): string {
  if (error.code === "amocrm_code_exchange_failed")
    return "amoCRM did not give tokens for the authorization code";
  if (error.code === "amocrm_token_refresh_failed")
    return "amoCRM did not renew the access token";
  return error.message;
}

function accountOk(account: AmoAccount): CheckStep {
  return {
    id: "account",
    title: `amoCRM answered for account ${account.name} (${account.subdomain}, id ${account.id})`,
    outcome: "ok",
  };
}

function failed(
  id: string,
  title: string,
  error: AppError,
  mode: TokenMode,
): CheckStep {
  const isMismatch =
    isAppError(error) && error.code === "amocrm_account_mismatch";
  return {
    id,
    title: isMismatch ? "The token belongs to another amoCRM account" : title,
    outcome: "failed",
    serverMessage: error.remote?.message,
    advice: adviseOnAmocrmError(error, mode),
  };
}

/** The Check passes when its last step, amoCRM's account answer, passed. */
function finish(steps: CheckStep[]): CheckSideResult {
  return { ok: steps.at(-1)?.outcome === "ok", steps };
}
