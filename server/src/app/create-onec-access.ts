import type { CheckSideResult } from "../../../shared/check-result.js";
import { stepTitle } from "../../../shared/check-step-titles.js";
import type { OnecSettings } from "../../../shared/settings.js";
import type { DatabaseHandle } from "../db/create-database.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import {
  createOdataClient,
  createOnecGateways,
  createPendingCreates,
  getOnecProfile,
  listAgreements,
  listItems,
  listOrganizations,
  listVatRates,
  listWarehouses,
  runOnecCheck,
  type OdataClient,
  type OnecGateways,
} from "../onec/index.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import type { OnecDefaultsLists } from "../widget-api/create-settings-routes.js";

export interface OnecAccess {
  /** Gateways for the 1C base in the current settings. */
  gateways(): Promise<OnecGateways>;
  check(): Promise<CheckSideResult>;
  listDefaults(): Promise<OnecDefaultsLists>;
}

export interface OnecAccessOptions {
  database: DatabaseHandle;
  settings: SettingsStore;
  secrets: SecretStore;
  log: Logger;
  timeoutMs?: number | undefined;
}

/**
 * The 1C side, rebuilt when its settings change: one OData client (and its
 * cached $metadata) per distinct connection, shared by every run.
 */
export function createOnecAccess(options: OnecAccessOptions): OnecAccess {
  const pendingCreates = createPendingCreates(options.database.db);
  let cached: {
    key: string;
    client: OdataClient;
    gateways: OnecGateways;
  } | null = null;

  async function current() {
    const [settings, password] = await Promise.all([
      options.settings.onec(),
      options.secrets.get("onec.password"),
    ]);
    if (!settings || password === null) {
      throw new AppError(
        "onec_not_configured",
        "The 1C connection is not set up: fill the 1C fields in amo1c's settings and press Check",
        { status: 409 },
      );
    }

    const key = JSON.stringify([settings, password]);
    if (cached?.key !== key) cached = build(settings, password, key);
    return { ...cached, settings, password };
  }

  function build(settings: OnecSettings, password: string, key: string) {
    const client = createOdataClient({
      odataUrl: settings.odataUrl,
      user: settings.user,
      password,
      log: options.log,
      timeoutMs: options.timeoutMs,
    });
    const gateways = createOnecGateways({
      client,
      profile: settings.profile,
      settings,
      pendingCreates,
      log: options.log,
    });
    return { key, client, gateways };
  }

  return {
    gateways: async () => (await current()).gateways,

    async check() {
      const [settings, password] = await Promise.all([
        options.settings.onec(),
        options.secrets.get("onec.password"),
      ]);
      if (!settings) {
        return {
          ok: false,
          steps: [
            {
              id: "onec_settings",
              ...stepTitle("onec_settings"),
              outcome: "failed",
              advice:
                "Fill the 1C OData URL, user, password and profile, then save.",
            },
          ],
        };
      }
      const result = await runOnecCheck({
        settings,
        password,
        log: options.log,
      });
      // A passed Check saw the composition as it is now: syncs start from a
      // fresh $metadata too, instead of one cached before the admin's change.
      if (result.ok) cached = null;
      return result;
    },

    async listDefaults() {
      const { client, settings } = await current();
      const profile = getOnecProfile(settings.profile);
      const [organizations, agreements, warehouses, items, vatRates] =
        await Promise.all([
          listOrganizations(client, profile),
          listAgreements(client, profile),
          listWarehouses(client, profile),
          listItems(client, profile),
          listVatRates(client, profile),
        ]);
      return { organizations, agreements, warehouses, items, vatRates };
    },
  };
}
