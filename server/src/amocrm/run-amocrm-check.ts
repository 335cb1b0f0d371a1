import type { CheckSideResult } from "../../../shared/check-result.js";
import { stepTitle } from "../../../shared/check-step-titles.js";
import { checkLongLivedToken } from "./check-long-lived-token.js";
import { checkOauthTokens } from "./check-oauth-tokens.js";
import { finishCheck, type AmocrmCheckDeps } from "./check-steps.js";

export type { AmocrmCheckDeps } from "./check-steps.js";

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
    return finishCheck([
      {
        id: "settings",
        ...stepTitle("amocrm_settings"),
        outcome: "failed",
        advice:
          "Enter the account host, such as acme.amocrm.ru, save and press Check again.",
      },
    ]);
  }
  return settings.longLivedToken
    ? checkLongLivedToken(deps, settings)
    : checkOauthTokens(deps);
}
