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

export function accountStep(account: AmoAccount): CheckStep {
  return {
    id: "account",
    ...stepTitle("account_ok", {
      name: account.name,
      subdomain: account.subdomain,
      id: String(account.id),
    }),
    outcome: "ok",
  };
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
