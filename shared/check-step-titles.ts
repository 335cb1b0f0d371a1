import type { CheckStep } from "./check-result.js";

/**
 * English titles of the Check's steps by a stable key. The widget keeps its
 * own translations under the same keys (check.steps in its message files),
 * so a key renamed here is a key the widget shows in English until it learns
 * it; the CLI and the logs show these texts as they are.
 */
export const CHECK_STEP_TITLES = {
  amocrm_settings: "Read the amoCRM settings",
  long_lived_missing: "No long-lived token is stored",
  long_lived_expired: "The long-lived token expired on {date}",
  long_lived_valid_until: "The long-lived token is valid until {date}",
  long_lived_no_date: "The long-lived token names no expiry date",
  access_token_cleared: "Cleared the stored access token",
  refresh_token_missing: "No refresh token is stored",
  refresh_token_removed: "Removed the refresh token: it expired on {date}",
  refresh_token_valid: "The refresh token is valid",
  refresh_token_valid_until: "The refresh token is valid until {date}",
  refresh_no_token: "No refresh token to renew with",
  refresh_ok: "Got a new access token with the refresh token",
  refresh_failed: "amoCRM did not renew the access token",
  code_not_needed: "Not needed: the refresh token worked",
  code_not_tried:
    "Not tried: amoCRM did not refuse the refresh token itself, so it may still work; press Check again once the cause above is solved",
  code_missing: "No authorization code is stored",
  code_ok: "Got new tokens with the authorization code",
  code_failed: "amoCRM did not give tokens for the authorization code",
  account_ok: "amoCRM answered for account {name} ({subdomain}, id {id})",
  account_failed: "amoCRM did not return the account data",
  account_mismatch: "The token belongs to another amoCRM account",
  account_no_token: "No token to ask amoCRM for the account with",
  onec_settings: "Read the 1C connection settings",
  onec_reach: "Reach the 1C OData address",
  onec_reach_url: "Reach {url}",
  onec_auth: "Sign in to 1C",
  onec_auth_user: "Sign in to 1C as {user}",
  onec_profile: "Match the configuration profile",
  onec_profile_named: 'Match the profile "{profile}"',
  onec_objects:
    "Find every object and field amo1c uses in the OData composition",
  onec_rights: "Read each object as the 1C user",
  onec_contact_kinds: "Find the predefined contact information kinds",
  onec_organization: "Read the chosen organization",
  onec_organization_named: 'Read the organization "{name}"',
  onec_deal_item: "Read the item for the deal's sum",
  onec_deal_item_named: `Read the item for the deal's sum "{name}"`,
} as const;

export type CheckStepTitleKey = keyof typeof CHECK_STEP_TITLES;

export type StepTitle = Pick<CheckStep, "title" | "titleKey" | "titleParams">;

/** A step's English title with the key and values a translation needs. */
export function stepTitle(
  key: CheckStepTitleKey,
  params?: Record<string, string>,
): StepTitle {
  const title = CHECK_STEP_TITLES[key].replace(
    /\{(\w+)\}/g,
    (match, name: string) => params?.[name] ?? match,
  );
  return params
    ? { title, titleKey: key, titleParams: params }
    : { title, titleKey: key };
}
