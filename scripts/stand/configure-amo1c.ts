import type { Amo1c } from "../../server/src/app/create-amo1c.js";
import type { AmocrmEmulator } from "../emulators/amocrm/start-amocrm-emulator.js";
import type { OnecEmulator } from "../emulators/onec/start-onec-emulator.js";

export interface ConfigureAmo1cOptions {
  amocrm: AmocrmEmulator;
  onec: OnecEmulator;
  /** The UT 11 base of the 1C emulator amo1c writes to. */
  base: string;
  onecUser: string;
  onecPassword: string;
  /** long_lived (default): a token valid for a year; oauth: an authorization code. */
  tokenMode?: "long_lived" | "oauth" | undefined;
  exchange?:
    | {
        createCounterpartiesFromContacts?: boolean | undefined;
        createCompaniesInAmocrm?: boolean | undefined;
      }
    | undefined;
}

/**
 * Writes the settings an admin would enter in the widget for the two
 * emulators, then runs the Check; a failed Check throws with its steps.
 */
export async function configureAmo1c(
  amo1c: Amo1c,
  options: ConfigureAmo1cOptions,
): Promise<void> {
  await putAmocrmSettings(amo1c, options);
  await putOnecSettings(amo1c, options);

  const taxFields = options.amocrm.state().seed.company_tax_fields;
  await amo1c.settings.put("exchange", {
    createCounterpartiesFromContacts:
      options.exchange?.createCounterpartiesFromContacts ?? true,
    createCompaniesInAmocrm: options.exchange?.createCompaniesInAmocrm ?? false,
    innFieldId: taxFields?.inn ?? null,
    kppFieldId: taxFields?.kpp ?? null,
  });

  const check = await amo1c.runCheck();
  if (!check.ok) {
    throw new Error(
      `stand: the settings Check failed: ${JSON.stringify(check)}`,
    );
  }
}

async function putAmocrmSettings(
  amo1c: Amo1c,
  { amocrm, tokenMode }: ConfigureAmo1cOptions,
): Promise<void> {
  const longLived = (tokenMode ?? "long_lived") === "long_lived";
  const expires = new Date(Date.now() + 365 * 24 * 3600_000);
  await amo1c.settings.put("amocrm", {
    host: amocrm.host,
    longLivedToken: longLived,
    tokenExpiresOn: longLived ? expires.toISOString().slice(0, 10) : "",
    accountId: null,
    warnDaysBeforeExpiry: 14,
  });
  if (longLived) {
    await amo1c.secrets.put(
      "amocrm.long_lived_token",
      amocrm.issueLongLivedToken(expires),
    );
  } else {
    await amo1c.secrets.put("amocrm.auth_code", amocrm.issueAuthCode());
  }
}

async function putOnecSettings(
  amo1c: Amo1c,
  { onec, base, onecUser, onecPassword }: ConfigureAmo1cOptions,
): Promise<void> {
  const first = (set: string) =>
    String(onec.list(base, set)[0]?.["Ref_Key"] ?? "");
  await amo1c.settings.put("onec", {
    odataUrl: onec.odataUrl(base),
    user: onecUser,
    profile: "ut11",
    timeZone: "Europe/Moscow",
    organizationRef: first("Catalog_Организации"),
    agreementRef: first("Catalog_СоглашенияСКлиентами"),
    warehouseRef: first("Catalog_Склады"),
    currencyRef: first("Catalog_Валюты"),
    dealItemRef: dealItemOf(onec, base),
    vatRateRef: first("Catalog_СтавкиНДС"),
    businessOperation: "РеализацияКлиенту",
    webClientUrl: `${onec.url}/${base}/ru_RU`,
  });
  await amo1c.secrets.put("onec.password", onecPassword);
}

/**
 * UT 11 takes an order's sum from its goods rows (reference onec §2.5), so
 * amo1c syncs a deal's sum only with an item to book it on.
 */
function dealItemOf(onec: OnecEmulator, base: string): string {
  const item = onec
    .list(base, "Catalog_Номенклатура")
    .find((row) => row["IsFolder"] !== true && row["DeletionMark"] !== true);
  if (!item) {
    throw new Error(
      "stand: the 1C seed has no Catalog_Номенклатура item to carry the deals' sums",
    );
  }
  return String(item["Ref_Key"]);
}
