import { pino, type Logger, type DestinationStream } from "pino";

import { logContextMixin } from "./observability/log-context.js";

export type { Logger };

/**
 * Field paths whose values never reach a log line. Tokens, secrets and
 * passwords travel in these fields anywhere in amo1c.
 */
export const REDACT_PATHS = [
  "authorization",
  "password",
  "secret",
  "token",
  "access_token",
  "refresh_token",
  "client_secret",
  "*.authorization",
  "*.Authorization",
  "*.password",
  "*.secret",
  "*.token",
  "*.access_token",
  "*.refresh_token",
  "*.client_secret",
  "*.accessToken",
  "*.refreshToken",
  "*.authCode",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-auth-token"]',
  "config.headers.Authorization",
];

export interface CreateLoggerOptions {
  level?: string | undefined;
  /** Where lines go; tests pass a capturing stream. */
  destination?: DestinationStream | undefined;
  pretty?: boolean | undefined;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    // Request and job ids reach every line written while serving them.
    mixin: logContextMixin,
  };

  if (options.destination) return pino(base, options.destination);

  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { colorize: true } },
    });
  }

  return pino(base);
}

/**
 * Writes out what the logger still holds. pino's default destination writes
 * asynchronously and its `flush(cb)` does not wait for a write in progress,
 * so a line printed just before `process.exit` would otherwise come before
 * log lines written earlier.
 */
export function flushLogSync(log: Logger): void {
  const stream = (log as unknown as Record<symbol, unknown>)[
    pino.symbols.streamSym
  ] as { flushSync?: () => void } | undefined;
  try {
    stream?.flushSync?.();
  } catch {
    // A destination that is not open yet has nothing to write out.
  }
}
