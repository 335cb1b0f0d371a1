import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { connect, type AddressInfo } from "node:net";
import { join } from "node:path";

import express from "express";
import { sql, type Kysely } from "kysely";
import { afterAll, describe, expect, test } from "vitest";

import { createAmo1c, type Amo1c } from "../../src/app/create-amo1c.js";
import { loadConfig } from "../../src/config/load-config.js";
import { createDatabase } from "../../src/db/create-database.js";
import { latestMigrationName, migrateToLatest } from "../../src/db/migrate.js";
import type { Database } from "../../src/db/schema.js";
import { createErrorHandler } from "../../src/http/error-handler.js";
import { findFreePort } from "../../../scripts/stand/find-free-port.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  createScratchDatabase,
  postgresAvailable,
} from "../helpers/postgres.js";
import {
  signWidgetToken,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../helpers/sign-widget-token.js";
import { spawnAmo1c } from "../helpers/spawn-amo1c.js";

const pgReady = await postgresAvailable();
const dir = mkdtempSync(join(tmpdir(), "amo1c-http-"));
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function envFor(databaseUrl: string, port: number) {
  return {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
    AMOCRM_CLIENT_ID: TEST_CLIENT_ID,
    AMOCRM_CLIENT_SECRET: TEST_CLIENT_SECRET,
  };
}

async function startApp(
  databaseUrl: string,
): Promise<{ amo1c: Amo1c; url: string; log: ReturnType<typeof captureLog> }> {
  const port = await findFreePort();
  const log = captureLog("info");
  const amo1c = await createAmo1c({
    config: loadConfig(envFor(databaseUrl, port)),
    log: log.log,
    schedule: false,
  });
  const { url } = await amo1c.listen(port, "127.0.0.1");
  cleanups.push(() => amo1c.stop());
  return { amo1c, url, log };
}

describe("/readyz reports the schema version", () => {
  test("on SQLite", async () => {
    const { url } = await startApp(`file:${join(dir, "ready.db")}`);
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ready",
      database: "sqlite",
      schemaVersion: latestMigrationName(),
      expectedSchemaVersion: latestMigrationName(),
    });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({
      status: "ok",
    });
  });

  test.skipIf(!pgReady)("on PostgreSQL", async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const { url } = await startApp(scratch.url);
    const res = await fetch(`${url}/readyz`);
    expect(await res.json()).toMatchObject({
      status: "ready",
      database: "postgres",
      schemaVersion: latestMigrationName(),
    });
  });
});

/** What a newer build leaves behind: a migration this one does not know. */
async function markMigratedByNewerBuild(db: Kysely<Database>): Promise<void> {
  await sql`insert into kysely_migration (name, timestamp)
    values ('9999-future', ${new Date().toISOString()})`.execute(db);
}

describe("/readyz reads the schema version from the database", () => {
  const newer = {
    status: "schema_newer",
    schemaVersion: "9999-future",
    expectedSchemaVersion: latestMigrationName(),
    error: {
      code: "schema_newer",
      message: expect.stringContaining(
        "The database was migrated by a newer amo1c",
      ) as unknown,
    },
  };

  test("503 schema_newer on SQLite after a newer build migrated", async () => {
    const { amo1c, url } = await startApp(`file:${join(dir, "newer.db")}`);
    await markMigratedByNewerBuild(amo1c.database.db);
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ...newer, database: "sqlite" });
  });

  test.skipIf(!pgReady)("503 schema_newer on PostgreSQL", async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const { amo1c, url } = await startApp(scratch.url);
    await markMigratedByNewerBuild(amo1c.database.db);
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ...newer, database: "postgres" });
  });

  test("a process on a newer schema refuses to start and says how to roll back", async () => {
    const file = join(dir, "newer-start.db");
    const database = createDatabase({ kind: "sqlite", file });
    await migrateToLatest(database.db);
    await markMigratedByNewerBuild(database.db);
    await database.close();

    const port = await findFreePort();
    const started = spawnAmo1c(envFor(`file:${file}`, port), port);
    await expect(started).rejects.toThrow(
      /amo1c failed to start: The database was migrated by a newer amo1c \(schema 9999-future; this build knows up to \d{4}-[\w-]+\)\. .*roll back .*docs\/deploy\.md/,
    );
    await expect(started).rejects.not.toThrow(/DATABASE_URL/);
  });
});

describe("bad requests get a JSON error and no internals", () => {
  test("unknown route, malformed JSON, oversized body", async () => {
    const { url, log } = await startApp(`file:${join(dir, "bad.db")}`);
    const audience = new URL(url).origin;

    const missing = await fetch(`${url}/nothing/here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: "not_found", message: "No route for GET /nothing/here" },
    });

    const malformed = await fetch(`${url}/api/v1/settings`, {
      method: "PUT",
      headers: {
        "x-auth-token": signWidgetToken(audience),
        "content-type": "application/json",
      },
      body: '{"amocrm": ',
    });
    expect(malformed.status).toBe(400);
    const malformedBody = await malformed.text();
    expect(JSON.parse(malformedBody)).toMatchObject({
      error: { code: "bad_request" },
    });
    expect(malformedBody).not.toMatch(/at .*\.(ts|js):\d+/);

    const huge = await fetch(`${url}/api/v1/settings`, {
      method: "PUT",
      headers: {
        "x-auth-token": signWidgetToken(audience),
        "content-type": "application/json",
      },
      body: JSON.stringify({ padding: "x".repeat(200_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({
      error: { code: "payload_too_large" },
    });

    const brokenGzip = await fetch(`${url}/api/v1/settings`, {
      method: "PUT",
      headers: {
        "x-auth-token": signWidgetToken(audience),
        "content-type": "application/json",
        "content-encoding": "gzip",
      },
      body: "this is not gzip",
    });
    expect(brokenGzip.status).toBe(400);
    expect(await brokenGzip.json()).toMatchObject({
      error: { code: "bad_request" },
    });

    const notJson = await fetch(`${url}/api/v1/settings`, {
      method: "PUT",
      headers: {
        "x-auth-token": signWidgetToken(audience),
        "content-type": "text/plain",
      },
      body: "host=acme.amocrm.ru",
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      error: {
        message:
          "Send the settings as a JSON object with Content-Type: application/json",
      },
    });

    const refused = log.lines.filter((l) => l["msg"] === "request refused");
    expect(refused.map((l) => l["code"])).toEqual(
      expect.arrayContaining(["bad_request", "payload_too_large"]),
    );
  });
});

describe("errors that carry a 4xx status stay 4xx", () => {
  test("a malformed %-escape in the path answers 400, not 500", async () => {
    const { url, log } = await startApp(`file:${join(dir, "uri.db")}`);
    const res = await fetch(`${url}/amocrm/webhooks/%E0%A4%A`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "leads[update][0][id]=1",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: "bad_request",
        message:
          "The request path has a malformed %-escape: percent-encode it as UTF-8 (a literal % is %25)",
      },
    });
    expect(log.lines.map((l) => l["msg"])).not.toContain("request failed");
  });

  test("any error with a 4xx status or statusCode keeps it", async () => {
    const captured = captureLog("info");
    const app = express();
    app.get("/status", () => {
      throw Object.assign(new Error("conflict"), { status: 409 });
    });
    app.get("/status-code", () => {
      throw Object.assign(new Error("gone"), { statusCode: 410 });
    });
    app.use(createErrorHandler(captured.log));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    cleanups.push(async () => void server.close());
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    for (const [path, status] of [
      ["/status", 409],
      ["/status-code", 410],
    ] as const) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({
        error: {
          code: "bad_request",
          message: `The request was refused (HTTP ${status}): check its method, path, headers and body`,
        },
      });
    }
  });
});

describe("a process", () => {
  test("exits with one line naming a missing variable", async () => {
    const port = await findFreePort();
    const env = envFor(`file:${join(dir, "x.db")}`, port);
    await expect(
      spawnAmo1c({ ...env, AMO1C_SECRET_KEY: "" }, port),
    ).rejects.toThrow(
      /amo1c: AMO1C_SECRET_KEY is not set: expected 32 random bytes/,
    );
  });

  test("stops cleanly on SIGTERM", async () => {
    const port = await findFreePort();
    const proc = await spawnAmo1c(
      { ...envFor(`file:${join(dir, "term.db")}`, port), LOG_LEVEL: "info" },
      port,
    );
    // "close" waits for the pipes to drain; "exit" can come before the last lines.
    const exit = new Promise<number | null>((resolve) =>
      proc.child.once("close", (code) => resolve(code)),
    );
    proc.child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(proc.output()).toContain('"msg":"stopped"');
  });
});

describe("stopping", () => {
  test("waits a bounded time for a request that never ends, then warns", async () => {
    const port = await findFreePort();
    const captured = captureLog("info");
    const amo1c = await createAmo1c({
      config: loadConfig(envFor(`file:${join(dir, "grace.db")}`, port)),
      log: captured.log,
      schedule: false,
      shutdownGraceMs: 300,
    });
    await amo1c.listen(port, "127.0.0.1");
    // A client that sends half a request and then nothing.
    const socket = connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    await amo1c.stop();
    socket.destroy();

    expect(Date.now() - started).toBeLessThan(5000);
    expect(
      captured.lines.find(
        (l) => l["msg"] === "connections still open at shutdown; closing them",
      ),
    ).toMatchObject({ level: 40, openConnections: 1, graceMs: 300 });
  });
});

describe("the secret key", () => {
  test("a process refuses to start with a key that does not open the stored secrets", async () => {
    const port = await findFreePort();
    const env = envFor(`file:${join(dir, "key.db")}`, port);
    const first = await spawnAmo1c(env, port);
    // The first start stores the webhook secret under the key.
    await fetch(`${first.url}/readyz`);
    await first.kill("SIGTERM");

    const other = {
      ...env,
      AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
    };
    await expect(spawnAmo1c(other, port)).rejects.toThrow(
      /AMO1C_SECRET_KEY does not open the secrets stored in this database/,
    );
  });
});
