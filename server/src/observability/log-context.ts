import { AsyncLocalStorage } from "node:async_hooks";

import type { Logger } from "pino";

/** Ids that tie a log line to the request or job it belongs to. */
export interface LogContext {
  /** The HTTP request being served, or the one that queued the job. */
  reqId?: string | undefined;
  jobId?: string | undefined;
  dealId?: number | undefined;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs fn with these ids added to every log line written inside it. */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/**
 * pino's mixin: the current ids on every line, so a module that only got the
 * root logger still writes them. An id the logger's own bindings carry
 * (a child made with { jobId }) is left to them, not written twice.
 */
export function logContextMixin(
  _merge: object,
  _level: number,
  logger: Logger,
): Record<string, unknown> {
  const context = storage.getStore();
  if (context === undefined) return {};
  const bound = logger.bindings();
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context))
    if (value !== undefined && !(key in bound)) fields[key] = value;
  return fields;
}
