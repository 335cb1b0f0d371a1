import { randomBytes } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import {
  connectWithCode,
  requestLines,
  startTestConnection,
  type TestConnection,
} from "./helpers/start-test-connection.js";
import { postgresAvailable, TEST_DATABASE_URL } from "../helpers/postgres.js";

const SCHEMA = `amocrm_tokens_${randomBytes(4).toString("hex")}`;
const HOUR_MS = 60 * 60 * 1000;

const reachable = (await postgresAvailable()) && (await createSchema());

async function createSchema(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${SCHEMA}`);
    return true;
  } finally {
    await client.end();
  }
}

/** The test database with every table inside this suite's own schema. */
function schemaUrl(): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${SCHEMA}`);
  return url.toString();
}

describe.skipIf(!reachable)(
  "token providers of two processes on PostgreSQL",
  () => {
    let emulator: AmocrmEmulator;
    const database = { kind: "postgres" as const, url: schemaUrl() };

    beforeAll(async () => {
      emulator = await startAmocrmEmulator({
        rateLimitPerSecond: 0,
        latencyMs: 30,
      });
    });

    afterAll(async () => {
      await emulator.stop();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
      await client.end();
    });

    async function twoProcesses(): Promise<[TestConnection, TestConnection]> {
      const a = await startTestConnection({
        emulator,
        database,
        rateLimitPerSecond: 1000,
      });
      const b = await startTestConnection({
        emulator,
        database,
        rateLimitPerSecond: 1000,
      });
      return [a, b];
    }

    it("refresh exactly once when both see the access token ageing", async () => {
      const [a, b] = await twoProcesses();
      try {
        await connectWithCode(a, emulator);
        a.clock.advance(24 * HOUR_MS);
        b.clock.advance(24 * HOUR_MS);
        emulator.clearRequests();

        const [tokenA, tokenB] = await Promise.all([
          a.connection.tokens.getAccessToken(),
          b.connection.tokens.getAccessToken(),
        ]);

        expect(tokenA).toBe(tokenB);
        const lines = requestLines(emulator);
        expect(lines.filter((l) => l.startsWith("POST /oauth2"))).toEqual([
          "POST /oauth2/access_token 200",
        ]);
        expect((await b.connection.store.read()).accessToken).toBe(tokenA);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("refresh exactly once when amoCRM refuses both with 401", async () => {
      const [a, b] = await twoProcesses();
      try {
        await a.handle.db.deleteFrom("amocrm_tokens").execute();
        await connectWithCode(a, emulator);
        emulator.expireAccessTokens();
        emulator.clearRequests();

        const calls = [a, b].flatMap((side) =>
          Array.from({ length: 10 }, () => side.connection.api.getAccount()),
        );
        const accounts = await Promise.all(calls);

        expect(accounts.every((x) => x.id === emulator.accountId)).toBe(true);
        const lines = requestLines(emulator);
        expect(lines.filter((l) => l.startsWith("POST /oauth2"))).toEqual([
          "POST /oauth2/access_token 200",
        ]);
        expect(lines.filter((l) => l.endsWith(" 401"))).toHaveLength(20);
      } finally {
        await a.close();
        await b.close();
      }
    });
  },
);
