import type { Config } from "./config/load-config.js";
import { describeDatabaseFailure } from "./db/describe-database-failure.js";

export interface StartFailureContext {
  /** The database the start used, to explain connection failures. */
  database?: Config["database"] | undefined;
  /** HOST, to tell a listen address that does not exist from a database host. */
  host?: string | undefined;
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
  const listen = describeListenFailure(error, context.host);
  if (listen !== null) return listen;

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

/** HOST that names no address of this machine (getaddrinfo or bind failed). */
function describeListenFailure(
  error: unknown,
  host: string | undefined,
): string | null {
  if (host === undefined) return null;
  const e = error as { code?: unknown; hostname?: unknown } | null;
  const unresolved =
    (e?.code === "ENOTFOUND" || e?.code === "EAI_AGAIN") && e.hostname === host;
  if (!unresolved && e?.code !== "EADDRNOTAVAIL") return null;
  return `HOST ${host} is not an address of this machine: set HOST to one of its addresses, 127.0.0.1 (behind a proxy on the same machine) or 0.0.0.0 (all)`;
}

function hintFor(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE")
    return " (the port is taken: set PORT to a free one)";
  if (code === "EACCES")
    return " (ports below 1024 need root: use 3000 behind a proxy)";
  return "";
}
