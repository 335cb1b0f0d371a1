import pg from "pg";

/**
 * Runs `fn` while this process holds PostgreSQL's session advisory lock on
 * `name`, on a connection of its own; ending that connection releases it.
 * For start-up steps that other processes may run at the same moment.
 */
export async function withAdvisoryLock<T>(
  connectionString: string,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString });
  // A dropped connection must fail fn's caller, not the process.
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
    return await fn();
  } finally {
    await client.end();
  }
}
