import { randomBytes } from "node:crypto";

import pg from "pg";

export const TEST_DATABASE_URL =
  process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Whether the test PostgreSQL server answers; suites skip (and say so) when
 * not. Under CI (CI=true) a missing server throws instead, so the PostgreSQL
 * suites fail rather than pass by skipping.
 */
export async function postgresAvailable(
  url = TEST_DATABASE_URL,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    if (env["CI"] === "true") {
      throw new Error(
        `PostgreSQL unreachable at ${url} and CI=true: CI must run its tests`,
        { cause: err },
      );
    }
    process.stdout.write(
      `PostgreSQL unreachable at ${url}: skipping its tests\n`,
    );
    return false;
  }
}

/**
 * A fresh database on the test server, for a suite that needs the whole
 * schema to itself; dropped by the returned function.
 */
export async function createScratchDatabase(): Promise<{
  url: string;
  drop(): Promise<void>;
}> {
  const name = `amo1c_test_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();

  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
