import type { Config } from "./config/load-config.js";
import { describeDatabaseFailure } from "./db/describe-database-failure.js";

export interface StartFailureContext {
  /** The database the start used, to explain connection failures. */
  database?: Config["database"] | undefined;
}

/**
 * One line for an operator: the error's message followed by its causes
 * ("Database migration failed: password authentication failed for user …"),
 * with a hint for the failures people meet first.
 */
export function describeStartFailure(
  error: unknown,
  context: StartFailureContext = {},
): string {
  const database = context.database
    ? describeDatabaseFailure(error, context.database)
    : null;
  if (database !== null) return database;

  const messages: string[] = [];
  for (
    let e: unknown = error;
    e instanceof Error && messages.length < 5;
    e = e.cause
  ) {
    if (!messages.includes(e.message)) messages.push(e.message);
  }
  const line = messages.length > 0 ? messages.join(": ") : String(error);
  return `${line}${hintFor(error)}`;
}

function hintFor(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE")
    return " (the port is taken: set PORT to a free one)";
  if (code === "EACCES")
    return " (ports below 1024 need root: use 3000 behind a proxy)";
  return "";
}
