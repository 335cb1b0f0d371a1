import type {
  CheckSideResult,
  CheckStep,
} from "../../../shared/check-result.js";
import { stepTitle } from "../../../shared/check-step-titles.js";
import type { AmocrmSettings } from "../../../shared/settings.js";
import { toAppError, type AppError } from "../errors.js";
import { NEW_LONG_LIVED_TOKEN_ADVICE } from "./advise-on-amocrm-error.js";
import { bindAccount } from "./bind-account.js";
import {
  accountStep,
  failedStep,
  finishCheck,
  type AmocrmCheckDeps,
} from "./check-steps.js";
import { problemOf } from "./describe-connection-problem.js";
import {
  describeLongLivedToken,
  isoDate,
} from "./describe-long-lived-token.js";
import { fetchAccount } from "./fetch-account.js";
import { fingerprintToken } from "./fingerprint-token.js";
import { rejectLongLivedToken } from "./read-long-lived-token.js";

/** Long-lived token: its expiry date, then the account (no refresh exists). */
export async function checkLongLivedToken(
  deps: AmocrmCheckDeps,
  settings: AmocrmSettings,
): Promise<CheckSideResult> {
  const now = deps.now?.() ?? new Date();
  const token = await deps.secrets.get("amocrm.long_lived_token");
  if (!token) {
    return finishCheck([
      {
        id: "long_lived_expiry",
        ...stepTitle("long_lived_missing"),
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
    return finishCheck([
      {
        id: "long_lived_expiry",
        ...stepTitle("long_lived_expired", { date: isoDate(expiresAt) }),
        outcome: "failed",
        advice,
      },
    ]);
  }

  const expiryStep: CheckStep = {
    id: "long_lived_expiry",
    ...(expiresAt
      ? stepTitle("long_lived_valid_until", { date: isoDate(expiresAt) })
      : stepTitle("long_lived_no_date")),
    outcome: "ok",
    advice: warning,
  };
  return finishCheck([expiryStep, await longLivedAccountStep(deps, token)]);
}

async function longLivedAccountStep(
  deps: AmocrmCheckDeps,
  token: string,
): Promise<CheckStep> {
  try {
    const account = await fetchAccount(deps.http, token);
    await bindAccount(deps.settings, account);
    await deps.store.setState("ok", null, "long_lived");
    return await accountStep(deps, account);
  } catch (caught) {
    const error = toAppError(caught);
    // A passing failure (429, 5xx, no answer) says nothing about the token.
    if (!error.retryable) await recordRefusal(deps, token, error);
    return failedStep(
      "account",
      stepTitle("account_failed"),
      error,
      "long_lived",
    );
  }
}

async function recordRefusal(
  deps: AmocrmCheckDeps,
  token: string,
  error: AppError,
): Promise<void> {
  const recorded =
    error.code === "amocrm_unauthorized" ? rejectLongLivedToken(error) : error;
  const problem = {
    ...problemOf(recorded),
    tokenFingerprint: fingerprintToken(token),
  };
  await deps.store.setState("needs_attention", problem, "long_lived");
}
