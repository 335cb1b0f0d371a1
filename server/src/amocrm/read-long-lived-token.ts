import type { AmocrmSettings } from "../../../shared/settings.js";
import { AppError } from "../errors.js";
import type { SecretStore } from "../storage/secret-store.js";
import { NEW_LONG_LIVED_TOKEN_ADVICE } from "./advise-on-amocrm-error.js";
import {
  describeLongLivedToken,
  isoDate,
} from "./describe-long-lived-token.js";

export interface ReadLongLivedTokenOptions {
  secrets: Pick<SecretStore, "get">;
  settings: AmocrmSettings;
  now: Date;
}

/** The stored long-lived token, refused without a request once it expired. */
export async function readLongLivedToken(
  options: ReadLongLivedTokenOptions,
): Promise<string> {
  const token = await options.secrets.get("amocrm.long_lived_token");
  if (!token) {
    throw new AppError(
      "amocrm_not_configured",
      "No long-lived token is stored: generate one on the integration's Keys and scopes tab in amoCRM, paste it with its expiry date and press Check",
      { status: 409 },
    );
  }

  const { expiresAt } = describeLongLivedToken(token, options.settings);
  if (expiresAt && expiresAt <= options.now) throw longLivedExpired(expiresAt);
  return token;
}

export function longLivedExpired(expiresAt: Date): AppError {
  return new AppError(
    "amocrm_token_expired",
    `The long-lived token expired on ${isoDate(expiresAt)}. ${NEW_LONG_LIVED_TOKEN_ADVICE}`,
    { status: 409, source: "amocrm" },
  );
}

/**
 * A 401 on a long-lived token: it expired or an admin revoked it, and only
 * a new token helps (reference amocrm §2).
 */
export function rejectLongLivedToken(error: AppError): AppError {
  const serverMessage = error.remote?.message ?? "401";
  return new AppError(
    "amocrm_unauthorized",
    `amoCRM rejected the long-lived token (${serverMessage}): it has expired or was revoked. ${NEW_LONG_LIVED_TOKEN_ADVICE}`,
    {
      status: 502,
      source: "amocrm",
      cause: error,
      remote: error.remote,
    },
  );
}
