import type { AddressInfo } from "node:net";

import { createApp } from "../../src/http/create-app.js";
import { createDealStateRepository } from "../../src/exchange/deal-state-repository.js";
import type { JobQueue } from "../../src/queue/job-queue.js";
import { createSettingsStore } from "../../src/storage/settings-store.js";
import { createSecretStore } from "../../src/storage/secret-store.js";
import { createSecretBox } from "../../src/storage/secret-box.js";
import { createJtiStore } from "../../src/widget-api/jti-store.js";
import { createWidgetApiRouter } from "../../src/widget-api/create-widget-api-router.js";
import type { WidgetAuthOptions } from "../../src/widget-api/create-widget-auth.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../helpers/sign-widget-token.js";
import { createTempDatabase } from "../helpers/temp-database.js";

export const AUDIENCE = "https://amo1c.example.com";
export const ACCOUNT_ID = 31000001;

export interface WidgetApi {
  baseUrl: string;
  /** How many times the Check ran. */
  checks: () => number;
  close(): Promise<void>;
}

/** A queue that only remembers what was enqueued: these tests are about auth. */
function idleQueue(): JobQueue {
  return {
    enqueue: async () => undefined,
    start: async () => undefined,
    stop: async () => undefined,
    isPending: async () => false,
    counts: async () => ({ queued: 0, running: 0, failed: 0 }),
    failed: async () => [],
    retryFailed: async () => 0,
  };
}

const connection = async () => ({
  state: "ok" as const,
  mode: "oauth" as const,
  message: null,
  expiresAt: null,
  expiryInstructions: [],
});

/**
 * The widget API alone on a free port, over a temporary SQLite database
 * bound to ACCOUNT_ID, with the admin check the test passes in.
 */
export async function startWidgetApi(
  isAdmin: WidgetAuthOptions["isAdmin"],
): Promise<WidgetApi> {
  const database = await createTempDatabase();
  const settings = createSettingsStore(database.db);
  await settings.put("amocrm", {
    host: "acme.amocrm.ru",
    longLivedToken: false,
    tokenExpiresOn: "",
    accountId: ACCOUNT_ID,
    warnDaysBeforeExpiry: 14,
  });
  const secrets = createSecretStore(
    database.db,
    createSecretBox(Buffer.alloc(32, 7)),
  );
  const { log } = captureLog();
  let checks = 0;

  const router = createWidgetApiRouter({
    cors: { accountHost: async () => "acme.amocrm.ru" },
    auth: {
      clientId: TEST_CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      audience: AUDIENCE,
      accountId: async () => ACCOUNT_ID,
      jtis: createJtiStore(database.db),
      isAdmin,
      log,
    },
    deals: {
      states: createDealStateRepository(database.db),
      queue: idleQueue(),
      settings,
      connection,
    },
    settings: {
      settings,
      secrets,
      clientId: TEST_CLIENT_ID,
      redirectUri: `${AUDIENCE}/amocrm/oauth/callback`,
      webhookUrl: async () => `${AUDIENCE}/amocrm/webhooks/x`,
      connection,
      runCheck: async () => {
        checks += 1;
        return {
          ok: true,
          amocrm: { ok: true, steps: [] },
          onec: { ok: true, steps: [] },
        };
      },
      listOnecDefaults: async () => ({
        organizations: [],
        agreements: [],
        warehouses: [],
        items: [],
        vatRates: [],
      }),
      log,
    },
  });
  const server = createApp({ log, routers: [router] }).listen(0);
  await new Promise((resolve) => server.once("listening", resolve));

  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    checks: () => checks,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await database.dispose();
    },
  };
}
