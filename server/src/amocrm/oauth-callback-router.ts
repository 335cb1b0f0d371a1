import { Router } from "express";

import {
  AMOCRM_HOST_PATTERN,
  amocrmSettingsSchema,
} from "../../../shared/settings.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import { OAUTH_CALLBACK_PATH } from "./redirect-uri.js";
import type { TokenProvider } from "./token-provider.js";

const LONG_LIVED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>amo1c</title></head>
<body><p>amo1c uses a long-lived token for this account, so this authorization code was not used. To connect by code instead, turn the long-lived token off in amo1c's settings.</p></body></html>`;

const RECEIVED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>amo1c</title></head>
<body><p>amoCRM access received. amo1c is connecting now; you can close this window and press Check in amo1c's settings.</p></body></html>`;

export interface OauthCallbackDeps {
  settings: Pick<SettingsStore, "amocrm" | "put">;
  secrets: Pick<SecretStore, "put">;
  tokens: Pick<TokenProvider, "exchangeCode">;
  log: Logger;
  /** Told when the background exchange ends (null = connected); for tests. */
  onExchangeSettled?: ((error: unknown) => void) | undefined;
}

/**
 * GET /amocrm/oauth/callback?code&referer&state — amoCRM's redirect after
 * consent and on widget installation. amoCRM waits at most 3 s and never
 * resends (reference amocrm §1.2), so the code is stored, the answer sent,
 * and the exchange runs afterwards within the code's 20 minutes.
 */
export function createOauthCallbackRouter(deps: OauthCallbackDeps): Router {
  const router = Router();
  const log = deps.log.child({ name: "amocrm-oauth" });

  router.get(OAUTH_CALLBACK_PATH, async (req, res) => {
    const code = queryText(req.query.code);
    if (code === "") {
      throw new AppError(
        "bad_request",
        "The amoCRM callback needs a code parameter; start the connection from amoCRM again",
        { status: 400 },
      );
    }

    // `state` is not checked: amo1c never starts the consent flow, so it
    // has no state of its own to compare. A code handed in here is only
    // exchanged, and the pair is kept only if amoCRM's answer is for the
    // bound account.
    const host = await callbackHost(
      deps.settings,
      queryText(req.query.referer),
      log,
    );
    const current = await deps.settings.amocrm();
    if (current?.longLivedToken) {
      log.warn(
        { host },
        "amoCRM callback ignored: a long-lived token is in use",
      );
      res.status(200).type("html").send(LONG_LIVED_PAGE);
      return;
    }

    await deps.secrets.put("amocrm.auth_code", code);
    if (!current)
      await deps.settings.put("amocrm", amocrmSettingsSchema.parse({ host }));
    res.status(200).type("html").send(RECEIVED_PAGE);

    void exchangeInBackground(deps, log);
  });

  return router;
}

async function exchangeInBackground(deps: OauthCallbackDeps, log: Logger) {
  try {
    const { account } = await deps.tokens.exchangeCode();
    log.info({ accountId: account.id }, "amoCRM connected from the callback");
    deps.onExchangeSettled?.(null);
  } catch (err) {
    // The connection state already records why; the log keeps the detail.
    log.error({ err }, "amoCRM callback code exchange failed");
    deps.onExchangeSettled?.(err);
  }
}

/**
 * amoCRM always names the account host in `referer` (reference amocrm §1.2);
 * a callback without one, or from another account than the configured one,
 * is refused before anything is stored.
 */
async function callbackHost(
  settings: OauthCallbackDeps["settings"],
  referer: string,
  log: Logger,
): Promise<string> {
  const host = referer
    .replace(/^https?:\/\//i, "")
    .replace(/[/?#].*$/, "")
    .toLowerCase();
  if (!AMOCRM_HOST_PATTERN.test(host)) {
    throw new AppError(
      "bad_request",
      "The amoCRM callback needs the account host in its referer parameter; start the connection from amoCRM again",
      { status: 400 },
    );
  }

  const current = await settings.amocrm();
  if (current && current.host !== host) {
    log.warn(
      { host: current.host, referer: host },
      "amoCRM callback came from another account host",
    );
    throw new AppError(
      "amocrm_account_mismatch",
      `This amo1c is set up for ${current.host}, not ${host}; change the account host in the settings first`,
      { status: 400 },
    );
  }
  return host;
}

function queryText(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}
