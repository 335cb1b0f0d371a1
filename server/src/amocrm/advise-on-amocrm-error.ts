import type { ErrorCode } from "../../../shared/error-codes.js";
import type { AppError } from "../errors.js";
import type { TokenMode } from "./token-store.js";

// Authorization codes live 20 minutes and work once (reference amocrm §1.2, §1.3).
export const FRESH_CODE_ADVICE =
  "The authorization code lives 20 minutes and works once: open the integration's Keys and scopes tab, copy a fresh code, paste it and press Check again.";

export const NEW_LONG_LIVED_TOKEN_ADVICE =
  "Generate a new long-lived token on the integration's Keys and scopes tab in amoCRM, paste it with its expiry date, save and press Check again.";

const CLIENT_ADVICE =
  "Compare AMOCRM_CLIENT_ID and AMOCRM_CLIENT_SECRET in the server's environment with the integration's Keys and scopes tab, restart amo1c and press Check again.";

const REDIRECT_ADVICE =
  "Set the integration's Redirect URI in amoCRM to the address shown in amo1c's settings, then copy a fresh authorization code and press Check again.";

const HOST_ADVICE =
  "Check the account host in the settings: it must be the account the integration lives in, such as acme.amocrm.ru.";

const REFRESH_REVOKED_ADVICE =
  "The refresh token was already used or was revoked (each one works once). Copy a fresh authorization code from the integration's Keys and scopes tab, paste it and press Check again.";

const BLOCKED_ADVICE =
  "amoCRM blocks API access from this server: the account exceeded the request limit (7 per second) or this server's IP is not in the account's API whitelist. Ask amoCRM support to lift the block.";

const NO_ANSWER_ADVICE =
  "Check that this server reaches amoCRM (DNS, firewall, proxy) and try again in a few minutes.";

const ADVICE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  amocrm_blocked: BLOCKED_ADVICE,
  amocrm_rate_limited:
    "amoCRM received more requests than it allows; wait a minute and try again. If this repeats, another integration may share the account's budget.",
  amocrm_unavailable:
    "amoCRM did not answer properly; check this server's network access to amoCRM and try again in a few minutes.",
  amocrm_request_failed:
    "amoCRM refused the data amo1c sent; the server's message names the field. Report it with the request id from the server log.",
  amocrm_token_expired: FRESH_CODE_ADVICE,
  amocrm_unauthorized:
    "amoCRM no longer accepts amo1c's token. Copy a fresh authorization code from the integration's Keys and scopes tab, paste it and press Check again.",
};

export interface FailureFacts {
  code: ErrorCode;
  /** amoCRM's `hint`, such as "Token has been revoked". */
  hint?: string | undefined;
  status?: number | undefined;
  mode?: TokenMode | undefined;
}

/**
 * Plain advice for a failure, keyed on status and hint, never on the
 * localised title/detail text (reference amocrm §1.6).
 */
export function adviseOnFailure(facts: FailureFacts): string {
  // A long-lived token cannot be renewed: any rejection means a new one.
  if (facts.mode === "long_lived" && facts.code === "amocrm_unauthorized")
    return NEW_LONG_LIVED_TOKEN_ADVICE;

  // The message already says amoCRM did not answer: advise, do not repeat.
  if (facts.code === "amocrm_unavailable" && facts.status === 0)
    return NO_ANSWER_ADVICE;

  // A 403 is a block page whatever was asked (reference amocrm §3.11).
  if (facts.status === 403) return BLOCKED_ADVICE;

  const byHint = adviceForHint(facts.hint ?? "");
  if (byHint !== null) return byHint;

  const transient = isTransientStatus(facts.status);
  if (facts.code === "amocrm_code_exchange_failed")
    return transient ? retryLater("get tokens") : FRESH_CODE_ADVICE;
  if (facts.code === "amocrm_token_refresh_failed")
    return transient ? retryLater("renew the token") : REFRESH_REVOKED_ADVICE;

  return (
    ADVICE_BY_CODE[facts.code] ??
    "Press Check again; if it repeats, see the server log."
  );
}

/** The advice for an AppError raised by the amoCRM client. */
export function adviseOnAmocrmError(error: AppError, mode: TokenMode): string {
  const advisable = error.code in ADVICE_BY_CODE || error.remote !== undefined;
  if (!advisable) return error.message;
  return adviseOnFailure({
    code: error.code,
    hint: error.remote?.code,
    status: error.remote?.status,
    mode,
  });
}

function adviceForHint(hint: string): string | null {
  if (/authorization code/i.test(hint)) return FRESH_CODE_ADVICE;
  if (/token has been revoked/i.test(hint)) return REFRESH_REVOKED_ADVICE;
  if (/client_id|client_secret/i.test(hint)) return CLIENT_ADVICE;
  if (/redirect uri/i.test(hint)) return REDIRECT_ADVICE;
  if (/invalid account|send request to account/i.test(hint)) return HOST_ADVICE;
  return null;
}

function isTransientStatus(status: number | undefined): boolean {
  return status === 0 || status === 429 || (status ?? 0) >= 500;
}

function retryLater(what: string): string {
  return `amoCRM could not ${what} right now; press Check again in a minute.`;
}
