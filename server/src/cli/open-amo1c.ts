import { createAmo1c, type Amo1c } from "../app/create-amo1c.js";
import type { Config } from "../config/load-config.js";
import { createLogger, type Logger } from "../log.js";
import { createCliLogStream, writeToStderr } from "./create-cli-log-stream.js";

export interface OpenAmo1cOptions {
  config: Config;
  /** Log at the configured level instead of warnings only. */
  verbose?: boolean | undefined;
  /** Where log lines go; default stderr. */
  writeLog?: ((line: string) => void) | undefined;
}

/**
 * Builds amo1c for one command: no HTTP server, no queue workers, no
 * scheduled tasks; a running server keeps doing those. Logs go to stderr so
 * that stdout carries only the command's answer.
 */
export async function openAmo1c(options: OpenAmo1cOptions): Promise<Amo1c> {
  return createAmo1c({
    config: options.config,
    log: createCliLogger(options),
    schedule: false,
  });
}

/** Runs fn with amo1c open and always closes it (database pool, pg-boss). */
export async function withAmo1c<T>(
  options: OpenAmo1cOptions,
  fn: (amo1c: Amo1c) => Promise<T>,
): Promise<T> {
  const amo1c = await openAmo1c(options);
  try {
    return await fn(amo1c);
  } finally {
    await amo1c.stop();
  }
}

/**
 * -v: every JSON line at LOG_LEVEL, as the server writes them. Otherwise
 * warnings only, each as one short line.
 */
export function createCliLogger(options: OpenAmo1cOptions): Logger {
  const write = options.writeLog ?? writeToStderr;
  if (options.verbose) {
    return createLogger({
      level: options.config.logLevel,
      destination: { write: (chunk) => write(chunk.trimEnd()) },
    });
  }
  return createLogger({
    level: "warn",
    destination: createCliLogStream(write),
  });
}
