import type { Config } from "../config/load-config.js";

type DatabaseConfig = Config["database"];

/** What a PostgreSQL connection failure means, by Node's or pg's code. */
const PROBLEMS: Record<string, string> = {
  ECONNREFUSED:
    "refused the connection: check that PostgreSQL runs there and listens on that port (listen_addresses, port)",
  ENOTFOUND:
    "cannot be found (the host name does not resolve): check the host in DATABASE_URL",
  EAI_AGAIN:
    "cannot be found right now (DNS did not answer): check the host in DATABASE_URL and this server's DNS",
  ETIMEDOUT:
    "did not answer in time: check the host, the port and the firewall between this server and PostgreSQL",
  // 28P01 wrong password; 28000 no such role or no pg_hba.conf entry.
  "28P01":
    "did not accept the user and password: check both in DATABASE_URL (percent-encode special characters in the password)",
  "28000":
    "did not let the user in: check that the role in DATABASE_URL exists (CREATE ROLE … LOGIN) and that pg_hba.conf allows it from this host",
  "3D000":
    "has no such database: create it (createdb) or fix the database name in DATABASE_URL",
};

const TIMEOUT_MESSAGE = /timeout|timed out/i;

/**
 * One line for a start that failed on the way to its database, naming
 * DATABASE_URL (a PostgreSQL server by its host and port, never the
 * password; a SQLite file by its path) and what to check; null when the
 * failure is not one of these.
 */
export function describeDatabaseFailure(
  error: unknown,
  database: DatabaseConfig,
): string | null {
  if (database.kind === "sqlite") return describeSqliteFailure(error, database);
  const problem = problemOf(error);
  if (problem === null) return null;
  return `PostgreSQL at ${serverOf(database.url)} (DATABASE_URL) ${problem}`;
}

/** Codes of a SQLite file (or its folder) that cannot be made or opened. */
const FILE_PROBLEMS = new Set([
  "EEXIST",
  "ENOTDIR",
  "EACCES",
  "EPERM",
  "EROFS",
  "ENOSPC",
  "SQLITE_CANTOPEN",
  "SQLITE_READONLY",
]);

function describeSqliteFailure(
  error: unknown,
  database: Extract<DatabaseConfig, { kind: "sqlite" }>,
): string | null {
  const failure = causesOf(error).find((e) =>
    FILE_PROBLEMS.has(String((e as { code?: unknown }).code)),
  );
  if (!failure) return null;
  return `SQLite file ${database.file} (DATABASE_URL) cannot be created or opened (${failure.message}): point DATABASE_URL at a writable path such as file:/var/lib/amo1c/amo1c.db, or leave it empty for ./data/amo1c.db`;
}

function problemOf(error: unknown): string | null {
  for (const e of causesOf(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code in PROBLEMS) return PROBLEMS[code]!;
    if (TIMEOUT_MESSAGE.test(e.message)) return PROBLEMS["ETIMEDOUT"]!;
  }
  return null;
}

/** The error, its causes and the attempts of an AggregateError (IPv4, IPv6). */
function causesOf(error: unknown): Error[] {
  const found: Error[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && found.length < 10) {
    const e = queue.shift();
    if (!(e instanceof Error)) continue;
    found.push(e);
    queue.push(e.cause);
    if (e instanceof AggregateError) queue.push(...e.errors);
  }
  return found;
}

/** host:port of a connection string; the user and password stay out. */
function serverOf(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get("host") || "?";
    return `${host}:${parsed.port || "5432"}`;
  } catch {
    return "the address in DATABASE_URL";
  }
}
