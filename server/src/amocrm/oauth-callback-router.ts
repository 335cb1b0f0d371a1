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

    // TODO(#3): `state` is not checked: amo1c does not start the consent flow itself, so any caller can hand in a code; once an account is bound, codes of other accounts are refused.
    await deps.secrets.put("amocrm.auth_code", code);
    await adoptHost(deps.settings, queryText(req.query.referer), log);
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

/** The referer names the account host; it is taken only when none is set. */
async function adoptHost(
  settings: OauthCallbackDeps["settings"],
  referer: string,
  log: Logger,
): Promise<void> {
  const host = referer
    .replace(/^https?:\/\//i, "")
    .replace(/[/?#].*$/, "")
    .toLowerCase();
  if (!AMOCRM_HOST_PATTERN.test(host)) return;

  const current = await settings.amocrm();
  if (current) {
    if (current.host !== host)
      log.warn(
        { host: current.host, referer: host },
        "amoCRM callback came from another account host",
      );
    return;
  }
  await settings.put("amocrm", amocrmSettingsSchema.parse({ host }));
}

function queryText(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}
