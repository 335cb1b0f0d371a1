import type { Logger } from "../log.js";
import type { SettingsStore } from "../storage/settings-store.js";
import type { AmoAccount } from "./api-types.js";
import type { AmocrmHttp } from "./http-types.js";
import type { OauthClient } from "./request-token-pair.js";
import type { TokenRecord, TokenStore } from "./token-store.js";

// Refresh a few minutes early so a request never leaves with a token that
// dies on the way (reference amocrm §8.3).
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** What renewing and exchanging tokens needs. */
export interface TokenContext {
  store: TokenStore;
  http: AmocrmHttp;
  settings: Pick<SettingsStore, "amocrm" | "put">;
  client: OauthClient;
  now: () => Date;
  log: Logger;
}

export interface RenewedTokens {
  accessToken: string;
  /**
   * The account the new token answered for; null when another caller
   * renewed or amoCRM could not answer the account request.
   */
  account: AmoAccount | null;
  /** False when another caller or process had already renewed the pair. */
  rotated: boolean;
}

/** True while the access token has more than the margin left. */
export function isAccessFresh(record: TokenRecord, now: Date): boolean {
  return (
    record.accessToken !== null &&
    record.accessExpiresAt !== null &&
    record.accessExpiresAt.getTime() - now.getTime() > TOKEN_REFRESH_MARGIN_MS
  );
}
