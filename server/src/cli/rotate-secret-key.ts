import type { Config } from "../config/load-config.js";
import { parseSecretKey } from "../config/parse-secret-key.js";
import { createDatabase, type DatabaseHandle } from "../db/create-database.js";
import { migrateToLatest } from "../db/migrate.js";
import { isAppError } from "../errors.js";
import { createSecretBox } from "../storage/secret-box.js";
import type { CliIo, ExitCode } from "./cli-io.js";
import { findRunningInstances } from "./find-running-instances.js";
import { NEW_KEY_VARIABLE } from "./read-new-key.js";
import { reencryptSecrets } from "./reencrypt-secrets.js";

export interface RotateSecretKeyOptions {
  config: Pick<Config, "database" | "secretKey">;
  /** The new AMO1C_SECRET_KEY, base64; null when none was given. */
  newKey: string | null;
  /** Rotate even though the database shows an instance at work. */
  force?: boolean | undefined;
}

/**
 * `amo1c rotate-key`: re-encrypts the stored secrets and
 * amoCRM tokens under a new key. Every amo1c instance must be stopped: one
 * still running would keep writing with the old key, so the rotation
 * refuses while the database shows one (unless forced).
 */
export async function rotateSecretKey(
  options: RotateSecretKeyOptions,
  io: CliIo,
): Promise<ExitCode> {
  if (options.newKey === null) {
    io.err(
      `Give the new key in ${NEW_KEY_VARIABLE}, or on stdin with --new-key-stdin: generate one with \`openssl rand -base64 32\``,
    );
    return 1;
  }
  const newKey = parseSecretKey(options.newKey);
  if (newKey === null) {
    io.err(
      "The new key must be 32 random bytes in base64, 44 characters ending in =: generate one with `openssl rand -base64 32`",
    );
    return 1;
  }
  if (newKey.equals(options.config.secretKey)) {
    io.err("The new key is the key in use now: generate a different one");
    return 1;
  }

  const database = createDatabase(options.config.database);
  try {
    await migrateToLatest(database.db);
    if (!options.force && (await refuseWhileRunning(database, io))) return 1;
    const report = await reencryptSecrets({
      db: database.db,
      kind: database.kind,
      from: createSecretBox(options.config.secretKey),
      to: createSecretBox(newKey),
    });
    printNextSteps(report, options.newKey, io);
    return 0;
  } catch (error) {
    if (!isAppError(error) || error.code !== "secret_decrypt_failed")
      throw error;
    io.err(
      `${error.message}. Nothing was changed: set AMO1C_SECRET_KEY to the key the secrets were stored under (the old one), keep the new key in ${NEW_KEY_VARIABLE} and run rotate-key again.`,
    );
    return 1;
  } finally {
    await database.close();
  }
}

/** Says what shows a running instance; true when there is something. */
async function refuseWhileRunning(
  database: DatabaseHandle,
  io: CliIo,
): Promise<boolean> {
  const signs = await findRunningInstances(database);
  if (signs.length === 0) return false;
  io.err("amo1c seems to be running: nothing was changed.");
  for (const sign of signs) io.err(`  ${sign}`);
  io.err(
    "Stop every amo1c instance first: one still running would keep writing with the old key. An instance that was killed shows for a minute and a half; when you are sure none runs, add --force.",
  );
  return true;
}

function printNextSteps(
  report: { secrets: number; tokens: number },
  newKey: string,
  io: CliIo,
): void {
  io.out(
    `re-encrypted ${report.secrets} stored secret(s) and ${report.tokens} amoCRM token(s) under the new key`,
  );
  io.out(
    "Replace the key in .env (on every instance) before starting amo1c again:",
  );
  io.out(`AMO1C_SECRET_KEY=${newKey}`);
}
