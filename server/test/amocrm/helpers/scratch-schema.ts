import { randomBytes } from "node:crypto";

import pg from "pg";

import { TEST_DATABASE_URL } from "../../helpers/postgres.js";

export interface ScratchSchema {
  /** TEST_DATABASE_URL with every table inside this schema. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A schema of its own on the test server. Unlike a scratch database it can
 * be dropped while pools are still closing their connections.
 */
export async function createScratchSchema(
  prefix: string,
): Promise<ScratchSchema> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await runAdmin(`CREATE SCHEMA ${name}`);

  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${name}`);
  return {
    url: url.toString(),
    drop: () => runAdmin(`DROP SCHEMA IF EXISTS ${name} CASCADE`),
  };
}

async function runAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
