import { randomBytes } from "node:crypto";
import { join } from "node:path";

import { loadConfig } from "../../server/src/config/load-config.js";
import { createDatabase } from "../../server/src/db/create-database.js";
import { migrateToLatest } from "../../server/src/db/migrate.js";
import { createSecretBox } from "../../server/src/storage/secret-box.js";
import { createSecretStore } from "../../server/src/storage/secret-store.js";
import { createSettingsStore } from "../../server/src/storage/settings-store.js";
import { webhookUrl } from "../../server/src/webhooks/index.js";
import type { Stand } from "../stand/start-stand.js";

export interface StandaloneAmo1c {
  /** The environment of `npm start` for this installation. */
  env: Record<string, string>;
  publicUrl: string;
  webhookUrl: string;
}

export interface PrepareStandaloneOptions {
  /** Its emulators serve the standalone amo1c too. */
  stand: Stand;
  dataDir: string;
  port: number;
}

const TOKEN_LIFE_MS = 365 * 24 * 3600_000;

/**
 * A second installation against the stand's emulators, written the way an
 * admin's settings page would leave it: its own SQLite file, secret key,
 * long-lived token (so its own amoCRM rate budget) and webhook secret.
 */
export async function prepareStandaloneAmo1c(
  options: PrepareStandaloneOptions,
): Promise<StandaloneAmo1c> {
  const { stand } = options;
  const publicUrl = `http://127.0.0.1:${options.port}`;
  const env = {
    PORT: String(options.port),
    HOST: "127.0.0.1",
    PUBLIC_URL: publicUrl,
    DATABASE_URL: `file:${join(options.dataDir, "amo1c.db")}`,
    AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
    AMOCRM_CLIENT_ID: stand.amocrm.clientId,
    AMOCRM_CLIENT_SECRET: stand.amocrm.clientSecret,
    AMOCRM_BASE_URL: stand.amocrm.url,
    LOG_LEVEL: "warn",
  };
  const hookSecret = randomBytes(32).toString("base64url");
  await writeSettings(stand, env, hookSecret);
  return { env, publicUrl, webhookUrl: webhookUrl(publicUrl, hookSecret) };
}

async function writeSettings(
  stand: Stand,
  env: Record<string, string>,
  hookSecret: string,
): Promise<void> {
  const config = loadConfig(env);
  const database = createDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const settings = createSettingsStore(database.db);
    const secrets = createSecretStore(
      database.db,
      createSecretBox(config.secretKey),
    );

    await settings.put("amocrm", await required(stand.amo1c.settings.amocrm()));
    await settings.put("onec", await required(stand.amo1c.settings.onec()));
    await settings.put("exchange", await stand.amo1c.settings.exchange());
    const expires = new Date(Date.now() + TOKEN_LIFE_MS);
    await secrets.put(
      "amocrm.long_lived_token",
      stand.amocrm.issueLongLivedToken(expires),
    );
    await secrets.put(
      "onec.password",
      await required(stand.amo1c.secrets.get("onec.password")),
    );
    await secrets.put("webhook.secret", hookSecret);
  } finally {
    await database.close();
  }
}

async function required<T>(value: Promise<T | null>): Promise<T> {
  const resolved = await value;
  if (resolved === null) throw new Error("the stand is not configured");
  return resolved;
}
