import { z } from "zod";

/** amoCRM account hosts amo1c accepts: amoCRM (.amocrm.ru/.com) and Kommo. */
export const AMOCRM_HOST_PATTERN =
  /^(?=.{4,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.(?:amocrm\.(?:ru|com)|kommo\.com)$/;

export const ONEC_PROFILES = ["ut11", "bp30"] as const;
export type OnecProfileName = (typeof ONEC_PROFILES)[number];

const guid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "expected a 1C reference (GUID)",
  );

const optionalGuid = z.union([guid, z.literal("")]).default("");

/** Settings of the amoCRM connection as the admin edits them (no secrets). */
export const amocrmSettingsSchema = z.object({
  host: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      AMOCRM_HOST_PATTERN,
      "expected the account host, such as acme.amocrm.ru or acme.kommo.com",
    ),
  longLivedToken: z.boolean().default(false),
  /** Expiry date the admin picked when creating the long-lived token (YYYY-MM-DD). */
  tokenExpiresOn: z
    .union([z.iso.date("expected a date as YYYY-MM-DD"), z.literal("")])
    .default(""),
  /** amoCRM account id, learnt from GET /api/v4/account on first success. */
  accountId: z.number().int().positive().nullable().default(null),
  warnDaysBeforeExpiry: z.number().int().min(1).max(90).default(14),
});

export const onecSettingsSchema = z.object({
  odataUrl: z
    .url({
      protocol: /^https?$/,
      error: "expected http(s)://host/base/odata/standard.odata",
    })
    .refine((u) => /\/odata\/standard\.odata\/?$/.test(u), {
      message: "the URL must end with /odata/standard.odata",
    })
    .refine((u) => !/^https?:\/\/[^/]*@/.test(u), {
      message: "put the user and password in their own fields, not in the URL",
    }),
  user: z.string().min(1, "expected the 1C user name"),
  profile: z.enum(ONEC_PROFILES),
  timeZone: z
    .string()
    .refine(isIanaZone, "expected an IANA time zone such as Europe/Moscow"),
  organizationRef: optionalGuid,
  agreementRef: optionalGuid,
  warehouseRef: optionalGuid,
  currencyRef: optionalGuid,
  /** Catalog_Номенклатура item whose one goods row carries the deal's sum. */
  dealItemRef: optionalGuid,
  /** VAT rate of that row where rates are a catalog (UT 11). */
  vatRateRef: optionalGuid,
  businessOperation: z.string().default("РеализацияКлиенту"),
  webClientUrl: z
    .union([z.url({ protocol: /^https?$/ }), z.literal("")])
    .default(""),
});

export const exchangeSettingsSchema = z.object({
  createCounterpartiesFromContacts: z.boolean().default(true),
  createCompaniesInAmocrm: z.boolean().default(false),
  /** amoCRM company custom field holding the INN; null = not configured. */
  innFieldId: z.number().int().positive().nullable().default(null),
  kppFieldId: z.number().int().positive().nullable().default(null),
});

export type AmocrmSettings = z.infer<typeof amocrmSettingsSchema>;
export type OnecSettings = z.infer<typeof onecSettingsSchema>;
export type ExchangeSettings = z.infer<typeof exchangeSettingsSchema>;

/**
 * What the settings page sends. Secret fields are write-only: absent means
 * "keep the stored value", an empty string means "clear it". Strict at
 * every level: a misspelt field ("passwrd") is refused, not dropped while
 * the stored value stays. Stored settings are read with the lenient
 * schemas above, so a field a later version drops does not break a read.
 */
export const settingsInputSchema = z.strictObject({
  amocrm: amocrmSettingsSchema
    .omit({ accountId: true })
    .extend({
      accessToken: z.string().trim().optional(),
      authCode: z.string().trim().optional(),
    })
    .strict(),
  onec: onecSettingsSchema.extend({ password: z.string().optional() }).strict(),
  exchange: exchangeSettingsSchema.strict(),
});
export type SettingsInput = z.input<typeof settingsInputSchema>;

/** Connection states shown on the settings page and the deal card banner. */
export const CONNECTION_STATES = [
  "not_configured",
  "ok",
  "expiring",
  "expired",
  "needs_attention",
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** What the settings page reads: values, masked secrets, derived addresses. */
export interface SettingsView {
  amocrm: AmocrmSettings & {
    /** Last four characters of the stored token, such as "…a1b2". */
    accessTokenMasked: string | null;
    authCodeSet: boolean;
    redirectUri: string;
    clientId: string;
  };
  onec: (OnecSettings & { passwordSet: boolean }) | null;
  exchange: ExchangeSettings;
  webhookUrl: string;
  connection: ConnectionView;
}

export interface ConnectionView {
  state: ConnectionState;
  mode: "oauth" | "long_lived" | null;
  message: string | null;
  /** ISO time the token in use expires (access token or long-lived token). */
  expiresAt: string | null;
  /** Steps to take when the token expires, for the mode in use. */
  expiryInstructions: string[];
}

/**
 * Zones found valid before. Settings are parsed on every read, and building
 * an Intl.DateTimeFormat costs a fraction of a millisecond; only valid zones
 * are kept, so the set stays within the few hundred that exist.
 */
const knownZones = new Set<string>();

function isIanaZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
  } catch {
    return false;
  }
  if (zone.length === 0) return false;
  knownZones.add(zone);
  return true;
}
