import type { AxiosInstance } from "axios";
import type { Router } from "express";

import type { CheckSideResult } from "../../../shared/check-result.js";
import type { ConnectionView } from "../../../shared/settings.js";
import type { Config } from "../config/load-config.js";
import type { DatabaseHandle } from "../db/create-database.js";
import type { Logger } from "../log.js";
import type { SecretBox } from "../storage/secret-box.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import type { AmocrmApi } from "./api-types.js";
import { readConnectionView } from "./connection-view.js";
import { createAmocrmApi } from "./create-amocrm-api.js";
import { createHttpClient } from "./create-http-client.js";
import { ensureWebhookSubscription } from "./ensure-webhook-subscription.js";
import type { AmocrmHttp, RetryOptions } from "./http-types.js";
import { createOauthCallbackRouter } from "./oauth-callback-router.js";
import { refreshIfAgeing } from "./refresh-if-ageing.js";
import { runAmocrmCheck } from "./run-amocrm-check.js";
import { createTokenProvider, type TokenProvider } from "./token-provider.js";
import { createTokenStore, type TokenStore } from "./token-store.js";
import { warnIfTokenExpiring } from "./warn-if-token-expiring.js";

export interface CreateAmocrmConnectionOptions {
  database: Pick<DatabaseHandle, "db" | "kind">;
  box: SecretBox;
  secrets: SecretStore;
  settings: SettingsStore;
  config: Pick<Config, "amocrm" | "publicUrl">;
  log: Logger;
  now?: (() => Date) | undefined;
  axios?: AxiosInstance | undefined;
  rateLimitPerSecond?: number | undefined;
  retry?: Partial<RetryOptions> | undefined;
  /** amo1c's webhook URL: subscribed in amoCRM after each passed Check. */
  webhookUrl?: (() => Promise<string>) | undefined;
}

/** Everything amo1c does with amoCRM, sharing one rate limit and one token. */
export interface AmocrmConnection {
  api: AmocrmApi;
  tokens: TokenProvider;
  store: TokenStore;
  http: AmocrmHttp;
  /** The Check; once it passes, the webhook subscription is ensured. */
  check(): Promise<CheckSideResult>;
  view(): Promise<ConnectionView>;
  /** For a timer; see refreshIfAgeing. */
  refreshIfAgeing(): Promise<boolean>;
  /** For a daily timer; see warnIfTokenExpiring. */
  warnIfTokenExpiring(): Promise<boolean>;
  /**
   * GET /amocrm/oauth/callback, to mount on the app.
   * An uninstalled integration shows up as a refused refresh: amoCRM's
   * "access revoked" hook is not subscribed.
   */
  callbackRouter(): Router;
  stop(): Promise<void>;
}

/** Wires the amoCRM side of one process: create it once at start. */
export function createAmocrmConnection(
  options: CreateAmocrmConnectionOptions,
): AmocrmConnection {
  const { secrets, settings, log, now } = options;
  const http = createHttpClient(options);
  const store = createTokenStore({
    ...options.database,
    box: options.box,
    now,
  });
  const tokens = createTokenProvider({ ...options, store, http });
  const deps = { settings, secrets, store, tokens, http, now };
  const api = createAmocrmApi({ tokens, http });

  async function check(): Promise<CheckSideResult> {
    const result = await runAmocrmCheck(deps);
    // Not a Check step: issue 3 fixes the Check's sequence exactly.
    if (result.ok && options.webhookUrl) {
      const destination = await options.webhookUrl();
      await ensureWebhookSubscription({ api, destination, log });
    }
    return result;
  }

  return {
    api,
    tokens,
    store,
    http,
    check,
    view: () => readConnectionView(deps),
    refreshIfAgeing: () => refreshIfAgeing({ tokens, log }),
    warnIfTokenExpiring: () =>
      warnIfTokenExpiring({
        ...deps,
        log: log.child({ name: "amocrm-tokens" }),
      }),
    callbackRouter: () =>
      createOauthCallbackRouter({ settings, secrets, tokens, log }),
    stop: () => http.stop(),
  };
}
