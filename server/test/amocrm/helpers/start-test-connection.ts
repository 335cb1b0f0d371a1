import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { AxiosInstance } from "axios";

import {
  amocrmSettingsSchema,
  type AmocrmSettings,
} from "../../../../shared/settings.js";
import {
  createAmocrmConnection,
  type AmocrmConnection,
} from "../../../src/amocrm/create-amocrm-connection.js";
import type { RetryOptions } from "../../../src/amocrm/http-types.js";
import {
  createDatabase,
  type DatabaseConfig,
  type DatabaseHandle,
} from "../../../src/db/create-database.js";
import { migrateToLatest } from "../../../src/db/migrate.js";
import { createSecretBox } from "../../../src/storage/secret-box.js";
import {
  createSecretStore,
  type SecretStore,
} from "../../../src/storage/secret-store.js";
import {
  createSettingsStore,
  type SettingsStore,
} from "../../../src/storage/settings-store.js";
import type { AmocrmEmulator } from "../../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import { captureLog, type CapturedLog } from "./capture-log.js";
import { createTestClock, type TestClock } from "./test-clock.js";

/** The emulator's default redirect URI is http://127.0.0.1/amocrm/oauth/callback. */
export const TEST_PUBLIC_URL = "http://127.0.0.1";

/** Short waits so retry tests take milliseconds, not seconds. */
export const FAST_RETRY: RetryOptions = {
  retries: 3,
  minDelayMs: 5,
  maxDelayMs: 20,
};

const SECRET_KEY = randomBytes(32);

/** Tests run 100 requests/s unless they pass amo1c's real limit. */
const TEST_RATE_LIMIT_PER_SECOND = 100;

export interface TestConnectionOptions {
  emulator: Pick<AmocrmEmulator, "url" | "host" | "clientId" | "clientSecret">;
  /** A database to reuse (a "restart"); a new SQLite file otherwise. */
  database?: DatabaseConfig | undefined;
  /** null: store no amoCRM settings at all. */
  settings?: Partial<AmocrmSettings> | null | undefined;
  clock?: TestClock | undefined;
  captured?: CapturedLog | undefined;
  rateLimitPerSecond?: number | undefined;
  retry?: Partial<RetryOptions> | undefined;
  axios?: AxiosInstance | undefined;
  /** amo1c's webhook URL, subscribed after a passed Check when given. */
  webhookUrl?: string | undefined;
}

export interface TestConnection {
  connection: AmocrmConnection;
  handle: DatabaseHandle;
  databaseConfig: DatabaseConfig;
  settings: SettingsStore;
  secrets: SecretStore;
  clock: TestClock;
  captured: CapturedLog;
  /** Stops the limiter and closes the database; removes a temp file unless kept. */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

/** amo1c's amoCRM side over a real database, talking to the emulator. */
export async function startTestConnection(
  options: TestConnectionOptions,
): Promise<TestConnection> {
  const tempDir = options.database
    ? null
    : mkdtempSync(join(tmpdir(), "amo1c-amocrm-"));
  const databaseConfig: DatabaseConfig = options.database ?? {
    kind: "sqlite",
    file: join(tempDir ?? "", "amo1c.db"),
  };
  const handle = createDatabase(databaseConfig);
  await migrateToLatest(handle.db);

  const box = createSecretBox(SECRET_KEY);
  const settings = createSettingsStore(handle.db);
  const secrets = createSecretStore(handle.db, box);
  if (options.settings !== null && !(await settings.amocrm())) {
    await settings.put(
      "amocrm",
      amocrmSettingsSchema.parse({
        host: options.emulator.host,
        ...options.settings,
      }),
    );
  }

  const clock = options.clock ?? createTestClock();
  const captured = options.captured ?? captureLog();
  const connection = createAmocrmConnection({
    database: handle,
    box,
    secrets,
    settings,
    config: {
      publicUrl: TEST_PUBLIC_URL,
      amocrm: {
        clientId: options.emulator.clientId,
        clientSecret: options.emulator.clientSecret,
        baseUrl: options.emulator.url,
      },
    },
    log: captured.log,
    now: clock.now,
    axios: options.axios,
    rateLimitPerSecond:
      options.rateLimitPerSecond ?? TEST_RATE_LIMIT_PER_SECOND,
    retry: options.retry ?? FAST_RETRY,
    webhookUrl:
      options.webhookUrl === undefined
        ? undefined
        : async () => options.webhookUrl ?? "",
  });

  return {
    connection,
    handle,
    databaseConfig,
    settings,
    secrets,
    clock,
    captured,
    async close(closeOptions = {}) {
      await connection.stop();
      await handle.close();
      if (tempDir && !closeOptions.keepDatabase)
        rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** Stores a fresh authorization code and trades it for tokens. */
export async function connectWithCode(
  test: TestConnection,
  emulator: AmocrmEmulator,
) {
  await test.secrets.put("amocrm.auth_code", emulator.issueAuthCode());
  return test.connection.tokens.exchangeCode();
}

/** The emulator's request log as "METHOD /path status" lines. */
export function requestLines(emulator: AmocrmEmulator): string[] {
  return emulator.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
}
