import { AppError } from "../errors.js";
import type { SettingsStore } from "../storage/settings-store.js";
import type { AmoAccount } from "./api-types.js";

/**
 * Ties the connection to one amoCRM account (reference amocrm §8.7): the
 * first account seen is remembered, any other one is refused.
 */
export async function bindAccount(
  settings: Pick<SettingsStore, "amocrm" | "put">,
  account: AmoAccount,
): Promise<void> {
  const current = await settings.amocrm();
  if (!current) return;

  if (current.accountId === null) {
    await settings.put("amocrm", { ...current, accountId: account.id });
    return;
  }
  if (current.accountId !== account.id) {
    throw accountMismatch(current.accountId, account);
  }
}

function accountMismatch(boundId: number, account: AmoAccount): AppError {
  return new AppError(
    "amocrm_account_mismatch",
    `The token belongs to amoCRM account ${account.id} (${account.subdomain}), but amo1c works with account ${boundId}; nothing was saved. Sign in to account ${boundId}, copy the authorization code from the integration's Keys and scopes tab there, paste it and press Check again.`,
    { status: 409, source: "amocrm", retryable: false },
  );
}
