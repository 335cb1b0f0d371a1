import { randomBytes } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import {
  createDatabase,
  type DatabaseHandle,
} from "../../src/db/create-database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { createSecretBox } from "../../src/storage/secret-box.js";
import {
  createSecretStore,
  type SecretStore,
} from "../../src/storage/secret-store.js";
import { ensureWebhookSecret } from "../../src/webhooks/ensure-webhook-secret.js";
import {
  createScratchDatabase,
  postgresAvailable,
} from "../helpers/postgres.js";
import { createTempDatabase } from "../helpers/temp-database.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two handles on one database, as two instances of amo1c have. */
async function sqliteInstances(): Promise<[DatabaseHandle, DatabaseHandle]> {
  const temp = await createTempDatabase();
  const second = createDatabase({ kind: "sqlite", file: temp.file });
  cleanups.push(() => temp.dispose());
  cleanups.push(() => second.close());
  return [temp, second];
}

async function postgresInstances(): Promise<[DatabaseHandle, DatabaseHandle]> {
  const scratch = await createScratchDatabase();
  cleanups.push(() => scratch.drop());
  const [first, second] = [0, 1].map(() =>
    createDatabase({ kind: "postgres", url: scratch.url }),
  ) as [DatabaseHandle, DatabaseHandle];
  cleanups.push(() => first.close());
  cleanups.push(() => second.close());
  await migrateToLatest(first.db);
  return [first, second];
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The worst interleaving of two first starts: both find no secret, the
 * first one stores and reads back its value, and only then does the
 * second one write.
 */
function interleave(first: SecretStore, second: SecretStore) {
  const secondRead = deferred();
  const firstDone = deferred();
  const gated = (store: SecretStore, before: Promise<void>): SecretStore => ({
    ...store,
    put: async (name, value) => (await before, store.put(name, value)),
    putIfAbsent: async (name, value) => (
      await before,
      store.putIfAbsent(name, value)
    ),
  });
  const a = ensureWebhookSecret(gated(first, secondRead.promise)).finally(
    firstDone.resolve,
  );
  const b = ensureWebhookSecret({
    ...gated(second, firstDone.promise),
    get: async (name) => {
      const value = await second.get(name);
      secondRead.resolve();
      return value;
    },
  });
  return Promise.all([a, b]);
}

const databases = [
  {
    name: "SQLite",
    open: sqliteInstances,
    available: () => Promise.resolve(true),
  },
  {
    name: "PostgreSQL",
    open: postgresInstances,
    available: postgresAvailable,
  },
];

describe.each(databases)("ensureWebhookSecret on $name", (database) => {
  it("answers two first starts at once with the one stored secret", async (ctx) => {
    if (!(await database.available())) return ctx.skip();
    const [one, two] = await database.open();
    const box = createSecretBox(randomBytes(32));
    const first = createSecretStore(one.db, box);
    const second = createSecretStore(two.db, box);

    const [a, b] = await interleave(first, second);

    expect(a).toBe(b);
    expect(await first.get("webhook.secret")).toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("keeps the secret of an earlier start", async (ctx) => {
    if (!(await database.available())) return ctx.skip();
    const [one] = await database.open();
    const secrets = createSecretStore(one.db, createSecretBox(randomBytes(32)));

    const created = await ensureWebhookSecret(secrets);

    expect(await ensureWebhookSecret(secrets)).toBe(created);
  });
});
