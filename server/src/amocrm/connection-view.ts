import type {
  AmocrmSettings,
  ConnectionView,
} from "../../../shared/settings.js";
import { fingerprintToken } from "./fingerprint-token.js";
import {
  describeLongLivedToken,
  isoDate,
} from "./describe-long-lived-token.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import type { TokenRecord, TokenStore } from "./token-store.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export const LONG_LIVED_EXPIRY_STEPS = [
  "In amoCRM open Settings → Integrations → the amo1c integration → Keys and scopes.",
  "Generate a new long-lived token and pick its expiry date (from 1 day to 5 years).",
  "Paste the token and the same date into amo1c's amoCRM settings, save and press Check.",
  "Revoke the old token on the integration's Authorization tab once the new one works.",
];

export const OAUTH_EXPIRY_STEPS = [
  "amo1c renews the 24-hour access token itself and keeps the 3-month refresh token alive while it runs; nothing to do while the state is ok.",
  "If the connection needs attention: in amoCRM open Settings → Integrations → the amo1c integration → Keys and scopes and copy the authorization code.",
  "Paste it into amo1c's amoCRM settings and press Check within 20 minutes: the code works once.",
];

export interface ConnectionViewInput {
  settings: AmocrmSettings | null;
  record: TokenRecord;
  /** The stored long-lived token, when the long-lived mode is on. */
  longLivedToken: string | null;
  /** An authorization code is stored and waits for the Check. */
  authCodeStored?: boolean | undefined;
  now: Date;
}

/** The connection state shown in the settings page and the deal card. */
export function connectionView(input: ConnectionViewInput): ConnectionView {
  const { settings } = input;
  if (!settings) {
    return {
      state: "not_configured",
      mode: null,
      message: "Enter the amoCRM account host, such as acme.amocrm.ru.",
      expiresAt: null,
      expiryInstructions: OAUTH_EXPIRY_STEPS,
    };
  }
  return settings.longLivedToken
    ? longLivedView(settings, input)
    : oauthView(settings, input);
}

function longLivedView(
  settings: AmocrmSettings,
  input: ConnectionViewInput,
): ConnectionView {
  const base = {
    mode: "long_lived" as const,
    expiryInstructions: LONG_LIVED_EXPIRY_STEPS,
  };
  if (!input.longLivedToken) {
    const message =
      "Paste the long-lived token and its expiry date, then press Check.";
    return { ...base, state: "not_configured", message, expiresAt: null };
  }

  const facts = describeLongLivedToken(input.longLivedToken, settings);
  const expiresAt = facts.expiresAt?.toISOString() ?? null;
  const withWarning = (text: string | null) =>
    [text, facts.dateWarning].filter(Boolean).join(" ") || null;
  const { record } = input;

  if (facts.expiresAt && facts.expiresAt <= input.now) {
    const message = `The long-lived token expired on ${isoDate(facts.expiresAt)}.`;
    return {
      ...base,
      state: "expired",
      message: withWarning(message),
      expiresAt,
    };
  }
  if (isRefusal(record, input.longLivedToken)) {
    const message = record.problem?.message ?? null;
    return {
      ...base,
      state: "needs_attention",
      message: withWarning(message),
      expiresAt,
    };
  }
  const daysLeft = daysUntil(facts.expiresAt, input.now);
  if (daysLeft !== null && daysLeft <= settings.warnDaysBeforeExpiry) {
    const message = `The long-lived token expires on ${isoDate(facts.expiresAt as Date)} (in ${daysLeft} days): generate a new one before then.`;
    return {
      ...base,
      state: "expiring",
      message: withWarning(message),
      expiresAt,
    };
  }
  return { ...base, state: "ok", message: withWarning(null), expiresAt };
}

function oauthView(
  settings: AmocrmSettings,
  input: ConnectionViewInput,
): ConnectionView {
  const { record } = input;
  const base = {
    mode: "oauth" as const,
    expiryInstructions: OAUTH_EXPIRY_STEPS,
    expiresAt: record.accessExpiresAt?.toISOString() ?? null,
  };

  if (record.mode === "oauth" && record.state === "needs_attention") {
    const message = record.problem?.message ?? null;
    return { ...base, state: "needs_attention", message };
  }
  if (!record.refreshToken || !record.refreshExpiresAt) {
    const message = input.authCodeStored
      ? "The authorization code is saved: press Check to exchange it for tokens (a code works once, within 20 minutes of its issue)."
      : "Paste the authorization code from the integration's Keys and scopes tab and press Check.";
    return { ...base, state: "not_configured", message };
  }
  if (record.refreshExpiresAt <= input.now) {
    const message = `The refresh token expired on ${isoDate(record.refreshExpiresAt)}: paste a fresh authorization code and press Check.`;
    return { ...base, state: "expired", message };
  }
  const daysLeft = daysUntil(record.refreshExpiresAt, input.now) ?? Infinity;
  if (daysLeft <= settings.warnDaysBeforeExpiry) {
    // amo1c renews weekly, so an ageing refresh token means it stopped running.
    const message = `amoCRM drops the refresh token on ${isoDate(record.refreshExpiresAt)} unless amo1c renews it before; make sure amo1c keeps running.`;
    return { ...base, state: "expiring", message };
  }
  return { ...base, state: "ok", message: null };
}

function daysUntil(date: Date | null, now: Date): number | null {
  if (!date) return null;
  return Math.ceil((date.getTime() - now.getTime()) / DAY_MS);
}

export interface ReadConnectionViewOptions {
  settings: Pick<SettingsStore, "amocrm">;
  secrets: Pick<SecretStore, "get">;
  store: Pick<TokenStore, "read">;
  now?: (() => Date) | undefined;
}

/** Gathers the stored facts and builds the view; no amoCRM request. */
export async function readConnectionView(
  options: ReadConnectionViewOptions,
): Promise<ConnectionView> {
  const settings = await options.settings.amocrm();
  const longLivedToken = settings?.longLivedToken
    ? await options.secrets.get("amocrm.long_lived_token")
    : null;
  const record = await options.store.read();
  // Read only while there is no pair yet: the deal card builds this view on
  // every read, and a connected account needs no code.
  const awaitingCode =
    settings !== null && !settings.longLivedToken && !record.refreshToken;
  const authCodeStored = awaitingCode
    ? (await options.secrets.get("amocrm.auth_code")) !== null
    : false;
  return connectionView({
    settings,
    record,
    longLivedToken,
    authCodeStored,
    now: options.now?.() ?? new Date(),
  });
}

/**
 * A stored refusal counts only for the token it was about: a newly pasted
 * long-lived token starts clean until amoCRM refuses it too.
 */
function isRefusal(record: TokenRecord, token: string): boolean {
  if (record.mode !== "long_lived" || record.state !== "needs_attention")
    return false;
  const refused = record.problem?.tokenFingerprint;
  return refused === undefined || refused === fingerprintToken(token);
}
