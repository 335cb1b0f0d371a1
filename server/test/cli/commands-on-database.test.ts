import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";

import PgBoss from "pg-boss";
import { afterEach, describe, expect, it } from "vitest";

import { createTokenStore } from "../../src/amocrm/token-store.js";
import { runCli } from "../../src/cli/run-cli.js";
import {
  createDatabase,
  type DatabaseHandle,
} from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { acquireLease } from "../../src/scheduler/acquire-lease.js";
import { markPresence } from "../../src/scheduler/mark-presence.js";
import { createSecretBox } from "../../src/storage/secret-box.js";
import { createSecretStore } from "../../src/storage/secret-store.js";
import {
  createScratchDatabase,
  postgresAvailable,
} from "../helpers/postgres.js";
import { createTempDatabase } from "../helpers/temp-database.js";
import { captureIo } from "./capture-io.js";
import { insertRunningJob } from "./insert-running-job.js";

const HOUR_MS = 3600_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function envFor(databaseUrl: string, secretKey: string): NodeJS.ProcessEnv {
  return {
    PUBLIC_URL: "https://amo1c.example.com",
    AMOCRM_CLIENT_ID: "client-id",
    AMOCRM_CLIENT_SECRET: "client-secret",
    AMO1C_SECRET_KEY: secretKey,
    DATABASE_URL: databaseUrl,
  };
}

const newKey = () => randomBytes(32).toString("base64");

interface Target {
  url: string;
  handle: DatabaseHandle;
}

async function sqliteTarget(): Promise<Target> {
  const temp = await createTempDatabase();
  cleanups.push(() => temp.dispose());
  return { url: `file:${temp.file}`, handle: temp };
}

async function postgresTarget(): Promise<Target> {
  const scratch = await createScratchDatabase();
  const handle = createDatabase({ kind: "postgres", url: scratch.url });
  await migrateToLatest(handle.db);
  cleanups.push(async () => {
    await handle.close();
    await scratch.drop();
  });
  return { url: scratch.url, handle };
}

describe("amo1c migrate", () => {
  it("applies the migrations once and prints the schema version", async () => {
    const dir = await createTempDatabase();
    cleanups.push(() => dir.dispose());
    const url = `file:${dir.file.replace(/amo1c\.db$/, "fresh.db")}`;
    const first = captureIo();
    const second = captureIo();

    expect(
      await runCli(["migrate"], { env: envFor(url, newKey()), io: first }),
    ).toBe(0);
    expect(
      await runCli(["migrate"], { env: envFor(url, newKey()), io: second }),
    ).toBe(0);

    expect(first.lines).toEqual([
      "applied: 0001-initial, 0002-job-request-ids",
      expect.stringMatching(/^schema version: \d{4}-/) as unknown,
    ]);
    expect(second.lines[0]).toBe("nothing to apply: the schema is up to date");
  });

  it("names the missing variable and exits 1 without a usable config", async () => {
    const io = captureIo();
    const env = envFor("", newKey());
    delete env["AMOCRM_CLIENT_ID"];

    const code = await runCli(["migrate"], { env, io });

    expect(code).toBe(1);
    expect(io.errors).toEqual([
      expect.stringMatching(
        /^amo1c: AMOCRM_CLIENT_ID is not set: .+ \(see \.env\.example\)$/,
      ) as unknown,
    ]);
  });
});

describe("argument checks", () => {
  it("exits 1 with commander's message for a deal id that is not a number", async () => {
    const io = captureIo();

    const code = await runCli(["sync", "abc"], { env: {}, io });

    expect(code).toBe(1);
    expect(io.errors[0]).toMatch(/'abc' is invalid .+ expected a deal id/);
  });

  it.each(["2025-02-30", "2025-13-01", "01.03.2025"])(
    "refuses reconcile --since %s, a date that does not exist or is not YYYY-MM-DD",
    async (since) => {
      const io = captureIo();

      const code = await runCli(["reconcile", "--since", since], {
        env: {},
        io,
      });

      expect(code).toBe(1);
      expect(io.errors[0]).toMatch(
        new RegExp(`'${since}' is invalid.+expected a date that exists`),
      );
    },
  );
});

describe("amo1c check", () => {
  it("reports unconfigured settings and exits 1", async () => {
    const target = await sqliteTarget();
    const io = captureIo();

    const code = await runCli(["check"], {
      env: envFor(target.url, newKey()),
      io,
    });

    expect(code).toBe(1);
    expect(io.lines[0]).toBe("amoCRM: failed");
    expect(io.lines.at(-1)).toMatch(/^Check failed/);
  });
});

/** SQLite: a job the server marked running. */
async function runningJobOn(target: Target) {
  await insertRunningJob(target.handle.db, 77);
  return () => Promise.resolve();
}

/** PostgreSQL: pg-boss connected, as every amo1c server has it. */
async function pgBossOn(target: Target) {
  const boss = new PgBoss({
    connectionString: target.url,
    schedule: false,
    supervise: false,
  });
  await boss.start();
  return () => boss.stop({ graceful: false, wait: true });
}

const databases = [
  {
    name: "SQLite",
    open: sqliteTarget,
    available: () => Promise.resolve(true),
    showServerAtWork: runningJobOn,
    serverSign: /^ {2}1 sync job\(s\) are running$/,
  },
  {
    name: "PostgreSQL",
    open: postgresTarget,
    available: postgresAvailable,
    showServerAtWork: pgBossOn,
    serverSign: /^ {2}\d+ pg-boss connection\(s\) to this database are open$/,
  },
];

describe.each(databases)("amo1c rotate-key on $name", (database) => {
  async function storeSecrets(target: Target, key: string) {
    const box = createSecretBox(Buffer.from(key, "base64"));
    const secrets = createSecretStore(target.handle.db, box);
    await secrets.put("onec.password", "пароль 1С");
    await secrets.put("webhook.secret", "hook-secret");
    const tokens = createTokenStore({ ...target.handle, box });
    await tokens.savePair({
      accessToken: "access-1",
      accessExpiresAt: new Date(Date.now() + 24 * HOUR_MS),
      refreshToken: "refresh-1",
      refreshExpiresAt: new Date(Date.now() + 90 * 24 * HOUR_MS),
    });
  }

  function readWith(target: Target, key: string) {
    const box = createSecretBox(Buffer.from(key, "base64"));
    return {
      password: () =>
        createSecretStore(target.handle.db, box).get("onec.password"),
      tokens: () => createTokenStore({ ...target.handle, box }).read(),
    };
  }

  it("re-encrypts the secrets and the amoCRM tokens under the new key", async (ctx) => {
    if (!(await database.available())) return ctx.skip();
    const target = await database.open();
    const oldKey = newKey();
    const rotated = newKey();
    await storeSecrets(target, oldKey);
    const io = captureIo();

    const code = await runCli(["rotate-key", "--new-key", rotated], {
      env: envFor(target.url, oldKey),
      io,
    });

    expect(code).toBe(0);
    expect(io.lines).toEqual([
      "re-encrypted 2 stored secret(s) and 2 amoCRM token(s) under the new key",
      "Replace the key in .env (on every instance) before starting amo1c again:",
      `AMO1C_SECRET_KEY=${rotated}`,
    ]);
    const now = readWith(target, rotated);
    expect(await now.password()).toBe("пароль 1С");
    expect(await now.tokens()).toMatchObject({
      accessToken: "access-1",
      refreshToken: "refresh-1",
      state: "ok",
    });
    await expect(readWith(target, oldKey).password()).rejects.toMatchObject({
      code: "secret_decrypt_failed",
    });
  });

  it("changes nothing when a stored secret does not open with the current key", async (ctx) => {
    if (!(await database.available())) return ctx.skip();
    const target = await database.open();
    const oldKey = newKey();
    await storeSecrets(target, oldKey);
    const stranger = createSecretBox(randomBytes(32));
    await createSecretStore(target.handle.db, stranger).put(
      "amocrm.auth_code",
      "code",
    );
    const io = captureIo();

    const code = await runCli(["rotate-key", "--new-key", newKey()], {
      env: envFor(target.url, oldKey),
      io,
    });

    expect(code).toBe(1);
    expect(io.errors[0]).toMatch(
      /cannot be decrypted.+Nothing was changed: set AMO1C_SECRET_KEY to the key the secrets were stored under \(the old one\), keep the new key in AMO1C_NEW_SECRET_KEY and run rotate-key again\.$/,
    );
    expect(await readWith(target, oldKey).password()).toBe("пароль 1С");
    expect(await readWith(target, oldKey).tokens()).toMatchObject({
      accessToken: "access-1",
    });
  });

  it("refuses while an instance's presence is live, naming it, unless forced", async (ctx) => {
    if (!(await database.available())) return ctx.skip();
    const target = await database.open();
    const oldKey = newKey();
    const rotated = newKey();
    await storeSecrets(target, oldKey);
    await markPresence(target.handle.db, {
      holder: "instance-a",
      ttlMs: 90_000,
    });
    const io = captureIo();
    const env = envFor(target.url, oldKey);

    const code = await runCli(["rotate-key", "--new-key", rotated], {
      env,
      io,
    });

    expect(code).toBe(1);
    expect(io.errors[0]).toBe(
      "amo1c seems to be running: nothing was changed.",
    );
    expect(io.errors[1]).toMatch(
      /^ {2}instance instance-a is up \(it renews its presence until \d{4}-/,
    );
    expect(io.errors.at(-1)).toMatch(/Stop every amo1c instance.+--force/);
    expect(await readWith(target, oldKey).password()).toBe("пароль 1С");

    const forced = captureIo();
    expect(
      await runCli(["rotate-key", "--force", "--new-key", rotated], {
        env,
        io: forced,
      }),
    ).toBe(0);
    expect(await readWith(target, rotated).password()).toBe("пароль 1С");
  });

  it("rotates after a clean stop, though task leases last their period", async (ctx) => {
    if (!(await database.available())) return ctx.skip();
    const target = await database.open();
    const oldKey = newKey();
    const rotated = newKey();
    await storeSecrets(target, oldKey);
    // What a stopped instance leaves: its daily task's lease, no presence.
    await acquireLease(target.handle.db, {
      name: "task:warn-token-expiry",
      holder: "instance-a",
      ttlMs: 24 * 60 * 60_000,
    });
    const io = captureIo();

    const code = await runCli(["rotate-key", "--new-key", rotated], {
      env: envFor(target.url, oldKey),
      io,
    });

    expect(io.errors).toEqual([]);
    expect(code).toBe(0);
    expect(await readWith(target, rotated).password()).toBe("пароль 1С");
  });

  it("refuses while the database shows a server at work", async (ctx) => {
    if (!(await database.available())) return ctx.skip();
    const target = await database.open();
    const oldKey = newKey();
    await storeSecrets(target, oldKey);
    const stopServer = await database.showServerAtWork(target);
    const io = captureIo();

    const code = await runCli(["rotate-key", "--new-key", newKey()], {
      env: envFor(target.url, oldKey),
      io,
    });
    await stopServer();

    expect(code).toBe(1);
    expect(io.errors[1]).toMatch(database.serverSign);
    expect(await readWith(target, oldKey).password()).toBe("пароль 1С");
  });

  it("takes the new key from AMO1C_NEW_SECRET_KEY or stdin, off the command line", async (ctx) => {
    if (!(await database.available())) return ctx.skip();
    const target = await database.open();
    const first = newKey();
    const second = newKey();
    const third = newKey();
    await storeSecrets(target, first);

    const viaEnv = captureIo();
    const env = { ...envFor(target.url, first), AMO1C_NEW_SECRET_KEY: second };
    expect(await runCli(["rotate-key"], { env, io: viaEnv })).toBe(0);
    expect(viaEnv.lines).toContain(`AMO1C_SECRET_KEY=${second}`);
    expect(await readWith(target, second).password()).toBe("пароль 1С");

    const viaStdin = captureIo();
    expect(
      await runCli(["rotate-key", "--new-key-stdin"], {
        env: envFor(target.url, second),
        io: viaStdin,
        stdin: Readable.from([`${third}\n`]),
      }),
    ).toBe(0);
    expect(viaStdin.lines).toContain(`AMO1C_SECRET_KEY=${third}`);
    expect(await readWith(target, third).password()).toBe("пароль 1С");
  });

  it("says where the key may come from when none is given", async () => {
    const io = captureIo();
    const env = envFor("file:/nonexistent/never-opened.db", newKey());

    expect(await runCli(["rotate-key"], { env, io })).toBe(1);
    expect(io.errors[0]).toMatch(/AMO1C_NEW_SECRET_KEY.+--new-key-stdin/);

    const help = captureIo();
    await runCli(["rotate-key", "--help"], { env, io: help });
    expect(help.text()).toMatch(/AMO1C_NEW_SECRET_KEY/);
    expect(help.text()).toMatch(/--new-key-stdin/);
    expect(help.text()).toMatch(/--force +rotate even though/);
  });

  it("refuses a key with characters outside base64", async () => {
    const io = captureIo();
    const env = {
      ...envFor("file:/nonexistent/never-opened.db", newKey()),
      AMO1C_NEW_SECRET_KEY: `${newKey()}!`,
    };

    expect(await runCli(["rotate-key"], { env, io })).toBe(1);
    expect(io.errors[0]).toMatch(/32 random bytes in base64/);
  });

  it("refuses a key that is not 32 bytes of base64", async () => {
    const io = captureIo();

    const code = await runCli(["rotate-key", "--new-key", "c2hvcnQ="], {
      env: envFor("file:/nonexistent/never-opened.db", newKey()),
      io,
    });

    expect(code).toBe(1);
    expect(io.errors[0]).toMatch(/32 random bytes in base64/);
  });
});
