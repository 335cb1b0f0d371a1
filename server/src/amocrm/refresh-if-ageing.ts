import type { Logger } from "../log.js";
import type { TokenProvider } from "./token-provider.js";

export interface RefreshIfAgeingOptions {
  tokens: Pick<TokenProvider, "refreshIfAgeing">;
  log: Logger;
}

/**
 * For a timer (daily is plenty): renews the OAuth pair once the refresh
 * token is a week old or the access token is about to expire, so an idle
 * connection never reaches amoCRM's 3-month limit (reference amocrm §1.4).
 * A failure is logged and recorded in the connection state, not thrown:
 * the next tick tries again.
 */
export async function refreshIfAgeing(
  options: RefreshIfAgeingOptions,
): Promise<boolean> {
  try {
    const rotated = await options.tokens.refreshIfAgeing();
    if (rotated) options.log.info("amoCRM tokens renewed ahead of time");
    return rotated;
  } catch (err) {
    options.log.error({ err }, "amoCRM scheduled token renewal failed");
    return false;
  }
}
