import "dotenv/config";

import { createAmo1c, type Amo1c } from "./app/create-amo1c.js";
import { loadConfig, type Config } from "./config/load-config.js";
import { warnIfPublicUrlInsecure } from "./config/warn-if-public-url-insecure.js";
import { isAppError } from "./errors.js";
import { describeStartFailure } from "./describe-start-failure.js";
import { createLogger, flushLogSync, type Logger } from "./log.js";

/** The production entry: env → config → amo1c, stopped cleanly on SIGTERM. */
async function main(config: Config): Promise<void> {
  const log = createLogger({
    level: config.logLevel,
    pretty: config.logPretty,
  });
  warnIfPublicUrlInsecure(config.publicUrl, log);
  const amo1c = await createAmo1c({ config, log });

  const { url } = await startOrStop(amo1c, log);
  log.info(
    { url, publicUrl: config.publicUrl, database: config.database.kind },
    "amo1c listening",
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: finishing requests and jobs");
    await amo1c.stop();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/**
 * A start that fails half-way (a taken port) stops what it started, so no
 * scheduled task keeps logging, and flushes the log first: the failure line
 * then comes last, where `journalctl -n` and `tail` look.
 */
async function startOrStop(
  amo1c: Amo1c,
  log: Logger,
): ReturnType<Amo1c["listen"]> {
  try {
    await amo1c.start();
    return await amo1c.listen();
  } catch (error) {
    await amo1c.stop().catch(() => undefined);
    flushLogSync(log);
    throw error;
  }
}

function readConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!isAppError(error)) throw error;
    console.error(`amo1c: ${error.message} (see .env.example)`);
    process.exit(1);
  }
}

const config = readConfigOrExit();
main(config).catch((error: unknown) => {
  const line = describeStartFailure(error, {
    database: config.database,
    host: config.host,
  });
  console.error(`amo1c failed to start: ${line}`);
  process.exit(1);
});
