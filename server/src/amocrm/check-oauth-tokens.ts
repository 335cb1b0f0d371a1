import type {
  CheckSideResult,
  CheckStep,
} from "../../../shared/check-result.js";
import {
  stepTitle,
  type StepTitle,
} from "../../../shared/check-step-titles.js";
import { toAppError, type AppError } from "../errors.js";
import { bindAccount } from "./bind-account.js";
import {
  accountStep,
  failedStep,
  finishCheck,
  type AmocrmCheckDeps,
} from "./check-steps.js";
import { isoDate } from "./describe-long-lived-token.js";
import { fetchAccount } from "./fetch-account.js";
import type { RenewedTokens } from "./token-context.js";

/** Failures raised before amoCRM answered about the account. */
const TOKEN_PHASE_CODES = new Set([
  "amocrm_token_refresh_failed",
  "amocrm_code_exchange_failed",
  "amocrm_token_expired",
  "amocrm_not_configured",
]);

/** Where the OAuth part of the Check stands after each step. */
interface OauthProgress {
  steps: CheckStep[];
  renewed: RenewedTokens | null;
  /** A failure after new tokens were issued: the account step reports it. */
  accountError: AppError | null;
}

/**
 * OAuth: clear the access token, drop an expired refresh token, renew with
 * the refresh token or else the authorization code, then ask for the
 * account with the new token.
 */
export async function checkOauthTokens(
  deps: AmocrmCheckDeps,
): Promise<CheckSideResult> {
  const progress: OauthProgress = {
    steps: [],
    renewed: null,
    accountError: null,
  };

  await deps.store.clearAccessToken();
  progress.steps.push({
    id: "clear_access_token",
    ...stepTitle("access_token_cleared"),
    outcome: "ok",
  });

  progress.steps.push(await dropExpiredRefreshToken(deps));
  await renewWithRefreshToken(deps, progress);
  await renewWithAuthCode(deps, progress);
  progress.steps.push(await oauthAccountStep(deps, progress));
  return finishCheck(progress.steps);
}

async function dropExpiredRefreshToken(
  deps: AmocrmCheckDeps,
): Promise<CheckStep> {
  const id = "refresh_token_expiry";
  const record = await deps.store.read();
  if (!record.refreshToken)
    return { id, ...stepTitle("refresh_token_missing"), outcome: "skipped" };

  const expiresAt = record.refreshExpiresAt;
  if (expiresAt && expiresAt <= (deps.now?.() ?? new Date())) {
    await deps.store.clearRefreshToken();
    return {
      id,
      ...stepTitle("refresh_token_removed", { date: isoDate(expiresAt) }),
      outcome: "ok",
    };
  }
  const title = expiresAt
    ? stepTitle("refresh_token_valid_until", { date: isoDate(expiresAt) })
    : stepTitle("refresh_token_valid");
  return { id, ...title, outcome: "ok" };
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
      ...stepTitle("refresh_no_token"),
      outcome: "skipped",
    });
    return;
  }

  const step = await attempt(id, () => deps.tokens.refresh(), progress);
  progress.steps.push(
    step ?? {
      id,
      ...stepTitle("refresh_ok"),
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
      ...stepTitle("code_not_needed"),
      outcome: "skipped",
    });
    return;
  }
  // A refresh token that failed for a passing reason may still be good;
  // spending the code now would not tell the admin anything new.
  if ((await deps.store.read()).refreshToken) {
    progress.steps.push({
      id,
      ...stepTitle("code_not_tried"),
      outcome: "skipped",
    });
    return;
  }
  if (!(await deps.secrets.get("amocrm.auth_code"))) {
    progress.steps.push({
      id,
      ...stepTitle("code_missing"),
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
      ...stepTitle("code_ok"),
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
    return failedStep(id, titleForTokenFailure(error), error, "oauth");
  }
}

async function oauthAccountStep(
  deps: AmocrmCheckDeps,
  progress: OauthProgress,
): Promise<CheckStep> {
  const title = stepTitle("account_failed");
  if (progress.accountError)
    return failedStep("account", title, progress.accountError, "oauth");
  if (!progress.renewed)
    return {
      id: "account",
      ...stepTitle("account_no_token"),
      outcome: "skipped",
    };

  if (progress.renewed.account)
    return accountStep(deps, progress.renewed.account);
  // Another process renewed the pair meanwhile, or amoCRM did not answer
  // the account check after the refresh: ask now.
  try {
    const account = await fetchAccount(deps.http, progress.renewed.accessToken);
    await bindAccount(deps.settings, account);
    return await accountStep(deps, account);
  } catch (caught) {
    return failedStep("account", title, toAppError(caught), "oauth");
  }
}

function titleForTokenFailure(error: AppError): StepTitle {
  if (error.code === "amocrm_code_exchange_failed")
    return stepTitle("code_failed");
  if (error.code === "amocrm_token_refresh_failed")
    return stepTitle("refresh_failed");
  // The error's own words: no key, so every language shows them as they are.
  return { title: error.message };
}
