import type {
  CheckSideResult,
  CheckStep,
} from "../../../shared/check-result.js";
import {
  stepTitle,
  type StepTitle,
} from "../../../shared/check-step-titles.js";
import { isAppError, type AppError } from "../errors.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import { adviseOnAmocrmError } from "./advise-on-amocrm-error.js";
import type { AmoAccount } from "./api-types.js";
import type { AmocrmHttp } from "./http-types.js";
import type { TokenProvider } from "./token-provider.js";
import type { TokenMode, TokenStore } from "./token-store.js";

export interface AmocrmCheckDeps {
  settings: Pick<SettingsStore, "amocrm" | "put">;
  secrets: Pick<SecretStore, "get">;
  store: TokenStore;
  tokens: TokenProvider;
  http: AmocrmHttp;
  now?: (() => Date) | undefined;
}

/**
 * The account answered. A host in the settings that is not this account's
 * still passes (an account may rename its subdomain, reference amocrm §1.8,
 * and amoCRM keeps answering the token), but the step says so: amo1c
 * builds the deal links it writes into 1C from that host.
 */
export async function accountStep(
  deps: Pick<AmocrmCheckDeps, "settings">,
  account: AmoAccount,
): Promise<CheckStep> {
  const step: CheckStep = {
    id: "account",
    ...stepTitle("account_ok", {
      name: account.name,
      subdomain: account.subdomain,
      id: String(account.id),
    }),
    outcome: "ok",
  };
  const advice = adviseOnHost((await deps.settings.amocrm())?.host, account);
  return advice === null ? step : { ...step, advice };
}

function adviseOnHost(
  host: string | undefined,
  account: AmoAccount,
): string | null {
  if (host === undefined) return null;
  const [label, ...domain] = host.split(".");
  if (label === account.subdomain.toLowerCase()) return null;
  const accountHost = [account.subdomain.toLowerCase(), ...domain].join(".");
  return `The settings name the account ${host}, but the token belongs to ${account.subdomain}: set the account host to ${accountHost} and save; amo1c builds the deal links it writes into 1C from that host.`;
}

export function failedStep(
  id: string,
  title: StepTitle,
  error: AppError,
  mode: TokenMode,
): CheckStep {
  const isMismatch =
    isAppError(error) && error.code === "amocrm_account_mismatch";
  return {
    id,
    ...(isMismatch ? stepTitle("account_mismatch") : title),
    outcome: "failed",
    serverMessage: error.remote?.message,
    advice: adviseOnAmocrmError(error, mode),
  };
}

/** The Check passes when its last step, amoCRM's account answer, passed. */
export function finishCheck(steps: CheckStep[]): CheckSideResult {
  return { ok: steps.at(-1)?.outcome === "ok", steps };
}
