import type { AmocrmSettings } from "../../../shared/settings.js";
import { readJwtExpiry } from "./read-jwt-expiry.js";

const DAY_MS = 24 * 60 * 60 * 1000;

// amoCRM sets `exp` to 00:00 UTC of the chosen date (reference amocrm §2),
// which is the previous evening in western time zones: a one-day difference
// is the same date seen from another zone, not a disagreement.
const DATE_TOLERANCE_MS = DAY_MS;

export interface LongLivedTokenFacts {
  /** When the token stops working: its `exp`, else the entered date. */
  expiresAt: Date | null;
  /** Set when the token's own expiry disagrees with the entered date. */
  dateWarning: string | null;
}

/** What amo1c can tell about a long-lived token without calling amoCRM. */
export function describeLongLivedToken(
  token: string,
  settings: Pick<AmocrmSettings, "tokenExpiresOn">,
): LongLivedTokenFacts {
  const fromToken = readJwtExpiry(token);
  const entered = parseEnteredDate(settings.tokenExpiresOn);
  return {
    expiresAt: fromToken ?? entered,
    dateWarning: dateWarning(fromToken, entered),
  };
}

function dateWarning(fromToken: Date | null, entered: Date | null) {
  if (!fromToken || !entered) return null;
  if (Math.abs(fromToken.getTime() - entered.getTime()) <= DATE_TOLERANCE_MS)
    return null;
  return `The token itself says it expires on ${isoDate(fromToken)}, but the settings say ${isoDate(entered)}; amo1c goes by the token. Correct the date in the settings.`;
}

/** YYYY-MM-DD as 00:00 UTC of that day, matching amoCRM's `exp`. */
function parseEnteredDate(value: string): Date | null {
  if (value === "") return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
