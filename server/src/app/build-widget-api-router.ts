import type { Router } from "express";

import type { CheckResult } from "../../../shared/check-result.js";
import type { AmocrmConnection } from "../amocrm/index.js";
import type { Config } from "../config/load-config.js";
import type { DatabaseHandle } from "../db/create-database.js";
import type { DealStateRepository } from "../exchange/deal-state-repository.js";
import type { Logger } from "../log.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import { createAdminCheck } from "../widget-api/create-admin-check.js";
import { createWidgetApiRouter } from "../widget-api/create-widget-api-router.js";
import { createJtiStore } from "../widget-api/jti-store.js";
import type { OnecAccess } from "./create-onec-access.js";

export interface WidgetApiParts {
  config: Config;
  database: DatabaseHandle;
  settings: SettingsStore;
  secrets: SecretStore;
  amocrm: AmocrmConnection;
  onec: OnecAccess;
  queue: JobQueue;
  states: DealStateRepository;
  log: Logger;
  runCheck: () => Promise<CheckResult>;
  webhookUrl: () => Promise<string>;
  corsExtraOrigins?: string[] | undefined;
  syncWaitMs?: number | undefined;
}

/** The widget's API (/api/v1) wired to the parts of one amo1c process. */
export function buildWidgetApiRouter(parts: WidgetApiParts): Router {
  const { config, settings, amocrm, log } = parts;
  const accountSettings = () => settings.amocrm();

  return createWidgetApiRouter({
    cors: {
      accountHost: async () => (await accountSettings())?.host ?? null,
      extraOrigins: parts.corsExtraOrigins,
    },
    auth: {
      clientId: config.amocrm.clientId,
      clientSecret: config.amocrm.clientSecret,
      // amoCRM signs widget tokens for the origin of the redirect URI.
      audience: new URL(config.publicUrl).origin,
      accountId: async () => (await accountSettings())?.accountId ?? null,
      jtis: createJtiStore(parts.database.db),
      isAdmin: createAdminCheck({
        listUsers: () => amocrm.api.listUsers(),
        log,
      }),
      log,
    },
    deals: {
      states: parts.states,
      queue: parts.queue,
      settings,
      connection: amocrm.view,
      syncWaitMs: parts.syncWaitMs,
    },
    settings: {
      settings,
      secrets: parts.secrets,
      clientId: config.amocrm.clientId,
      redirectUri: `${config.publicUrl}/amocrm/oauth/callback`,
      webhookUrl: parts.webhookUrl,
      connection: amocrm.view,
      runCheck: parts.runCheck,
      listOnecDefaults: parts.onec.listDefaults,
      log,
    },
  });
}
