import type { ConnectionView } from "../../../shared/settings.js";
import type { Logger } from "../log.js";
import {
  readConnectionView,
  type ReadConnectionViewOptions,
} from "./connection-view.js";

export interface WarnIfTokenExpiringOptions extends ReadConnectionViewOptions {
  log: Logger;
}

/**
 * For a daily timer: writes a warning with the expiry date and the steps
 * to take once the token is inside the settings' warning window
 * (warnDaysBeforeExpiry) or past its date, as the settings page and the
 * deal card show it. True when it warned.
 */
export async function warnIfTokenExpiring(
  options: WarnIfTokenExpiringOptions,
): Promise<boolean> {
  const view = await readConnectionView(options);
  if (view.state !== "expiring" && view.state !== "expired") return false;

  options.log.warn(
    {
      mode: view.mode,
      state: view.state,
      expiresAt: await expiryOf(options, view),
      reason: view.message,
      steps: view.expiryInstructions,
    },
    view.state === "expired"
      ? "amoCRM token has expired"
      : "amoCRM token expires soon",
  );
  return true;
}

/** The date that matters: the long-lived token's, or the refresh token's. */
async function expiryOf(
  options: WarnIfTokenExpiringOptions,
  view: ConnectionView,
): Promise<string | null> {
  if (view.mode === "long_lived") return view.expiresAt;
  const { refreshExpiresAt } = await options.store.read();
  return refreshExpiresAt?.toISOString() ?? null;
}
