import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";

import {
  amocrmSettingsSchema,
  type AmocrmSettings,
} from "../../../shared/settings.js";
import {
  connectionView,
  LONG_LIVED_EXPIRY_STEPS,
  OAUTH_EXPIRY_STEPS,
  readConnectionView,
} from "../../src/amocrm/connection-view.js";
import { readJwtExpiry } from "../../src/amocrm/read-jwt-expiry.js";
import type { TokenRecord } from "../../src/amocrm/token-store.js";

const NOW = new Date("2025-06-01T12:00:00Z");
const DAY_MS = 24 * 60 * 60 * 1000;

/** An unsigned-for-us JWT like amoCRM's; only its payload matters here. */
function tokenExpiringOn(day: string): string {
  const exp = Date.parse(`${day}T00:00:00Z`) / 1000;
  return jwt.sign({ exp, account_id: 1, grant_type: "" }, "any-key");
}

function settings(patch: Partial<AmocrmSettings> = {}): AmocrmSettings {
  return amocrmSettingsSchema.parse({ host: "acme.amocrm.ru", ...patch });
}

function record(patch: Partial<TokenRecord> = {}): TokenRecord {
  return {
    mode: "oauth",
    accessToken: null,
    accessExpiresAt: null,
    refreshToken: null,
    refreshExpiresAt: null,
    state: "not_configured",
    problem: null,
    version: 0,
    ...patch,
  };
}

function longLivedView(expiresOn: string, tokenDay: string, patch = {}) {
  return connectionView({
    settings: settings({
      longLivedToken: true,
      tokenExpiresOn: expiresOn,
      ...patch,
    }),
    record: record({ mode: "long_lived" }),
    longLivedToken: tokenExpiringOn(tokenDay),
    now: NOW,
  });
}

describe("readJwtExpiry", () => {
  it("reads exp without checking the signature", () => {
    expect(readJwtExpiry(tokenExpiringOn("2025-12-31"))).toEqual(
      new Date("2025-12-31T00:00:00Z"),
    );
  });

  it("answers null for a token that is not a JWT", () => {
    expect(readJwtExpiry("def50200abc")).toBeNull();
  });
});

describe("connectionView with a long-lived token", () => {
  it("is ok well before expiry, with the token's expiry and the steps", () => {
    expect(longLivedView("2025-12-31", "2025-12-31")).toEqual({
      state: "ok",
      mode: "long_lived",
      message: null,
      expiresAt: "2025-12-31T00:00:00.000Z",
      expiryInstructions: LONG_LIVED_EXPIRY_STEPS,
    });
  });

  it("is expiring from warnDaysBeforeExpiry days before", () => {
    const view = longLivedView("2025-06-10", "2025-06-10");

    expect(view.state).toBe("expiring");
    expect(view.message).toBe(
      "The long-lived token expires on 2025-06-10 (in 9 days): generate a new one before then.",
    );
  });

  it("honours a shorter warning period", () => {
    expect(
      longLivedView("2025-06-10", "2025-06-10", { warnDaysBeforeExpiry: 7 })
        .state,
    ).toBe("ok");
  });

  it("is expired once the token's date has passed", () => {
    expect(longLivedView("2025-05-31", "2025-05-31")).toMatchObject({
      state: "expired",
      message: "The long-lived token expired on 2025-05-31.",
    });
  });

  it("warns when the entered date disagrees with the token", () => {
    const view = longLivedView("2026-01-31", "2025-12-31");

    expect(view.state).toBe("ok");
    expect(view.expiresAt).toBe("2025-12-31T00:00:00.000Z");
    expect(view.message).toBe(
      "The token itself says it expires on 2025-12-31, but the settings say 2026-01-31; amo1c goes by the token. Correct the date in the settings.",
    );
  });

  it("accepts a date one day off, as seen from another time zone", () => {
    expect(longLivedView("2025-12-30", "2025-12-31").message).toBeNull();
  });

  it("shows amoCRM's refusal while it needs attention", () => {
    const view = connectionView({
      settings: settings({ longLivedToken: true }),
      record: record({
        mode: "long_lived",
        state: "needs_attention",
        problem: {
          code: "amocrm_unauthorized",
          message: "amoCRM rejected the long-lived token",
        },
      }),
      longLivedToken: tokenExpiringOn("2025-12-31"),
      now: NOW,
    });

    expect(view).toMatchObject({
      state: "needs_attention",
      message: "amoCRM rejected the long-lived token",
    });
  });
});

describe("connectionView with OAuth", () => {
  const connected = record({
    state: "ok",
    accessToken: "a",
    accessExpiresAt: new Date(NOW.getTime() + DAY_MS),
    refreshToken: "r",
    refreshExpiresAt: new Date(NOW.getTime() + 89 * DAY_MS),
  });

  it("says to press Check once a code is saved and not yet exchanged", async () => {
    const stored = new Map([["amocrm.auth_code", "def502000a"]]);

    const view = await readConnectionView({
      settings: { amocrm: async () => settings() },
      secrets: { get: async (name) => stored.get(name) ?? null },
      store: { read: async () => record() },
      now: () => NOW,
    });

    expect(view).toMatchObject({
      state: "not_configured",
      message:
        "The authorization code is saved: press Check to exchange it for tokens (a code works once, within 20 minutes of its issue).",
    });
  });

  it("is not configured before the first code", () => {
    expect(
      connectionView({
        settings: settings(),
        record: record(),
        longLivedToken: null,
        now: NOW,
      }),
    ).toMatchObject({
      state: "not_configured",
      mode: "oauth",
      expiryInstructions: OAUTH_EXPIRY_STEPS,
    });
  });

  it("is ok with the access token's expiry", () => {
    expect(
      connectionView({
        settings: settings(),
        record: connected,
        longLivedToken: null,
        now: NOW,
      }),
    ).toMatchObject({
      state: "ok",
      expiresAt: "2025-06-02T12:00:00.000Z",
    });
  });

  it("is expired when the refresh token outlived its 3 months", () => {
    const later = new Date(NOW.getTime() + 90 * DAY_MS);
    expect(
      connectionView({
        settings: settings(),
        record: connected,
        longLivedToken: null,
        now: later,
      }).state,
    ).toBe("expired");
  });

  it("says why it needs attention", () => {
    const view = connectionView({
      settings: settings(),
      record: {
        ...connected,
        state: "needs_attention",
        problem: {
          code: "amocrm_account_mismatch",
          message: "another account",
        },
      },
      longLivedToken: null,
      now: NOW,
    });
    expect(view).toMatchObject({
      state: "needs_attention",
      message: "another account",
    });
  });

  it("tells what to enter when there are no settings", () => {
    expect(
      connectionView({
        settings: null,
        record: record(),
        longLivedToken: null,
        now: NOW,
      }),
    ).toEqual({
      state: "not_configured",
      mode: null,
      message: "Enter the amoCRM account host, such as acme.amocrm.ru.",
      expiresAt: null,
      expiryInstructions: OAUTH_EXPIRY_STEPS,
    });
  });
});
