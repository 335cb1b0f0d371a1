import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import {
  createDatabase,
  type DatabaseHandle,
} from "../../src/db/create-database.js";
import { latestMigrationName, migrateToLatest } from "../../src/db/migrate.js";
import { createSecretBox } from "../../src/storage/secret-box.js";
import { createSecretStore } from "../../src/storage/secret-store.js";
import { createSettingsStore } from "../../src/storage/settings-store.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  createScratchDatabase,
  postgresAvailable,
} from "../helpers/postgres.js";
import { createTempDatabase } from "../helpers/temp-database.js";

const KEY = Buffer.from("0123456789abcdef0123456789abcdef");
const SECRET = "onec-password-Ünïcode-Пароль-42";

interface Target {
  name: string;
  open(): Promise<{
    handle: DatabaseHandle;
    rawContents(): Promise<string>;
    dispose(): Promise<void>;
  }>;
}

const pgReady = await postgresAvailable();

const targets: Target[] = [
  {
    name: "SQLite",
    async open() {
      const temp = await createTempDatabase();
      return {
        handle: temp,
        // The whole file, WAL included, as bytes on disk.
        rawContents: async () => {
          await temp.close();
          return readFileSync(temp.file).toString("latin1");
        },
        dispose: () => temp.dispose().catch(() => undefined),
      };
    },
  },
  {
    name: "PostgreSQL",
    async open() {
      const scratch = await createScratchDatabase();
      const handle = createDatabase({ kind: "postgres", url: scratch.url });
      await migrateToLatest(handle.db);
      return {
        handle,
        rawContents: async () => {
          const rows = await handle.db
            .selectFrom("secrets")
            .selectAll()
            .execute();
          return JSON.stringify(rows);
        },
        dispose: async () => {
          await handle.close().catch(() => undefined);
          await scratch.drop();
        },
      };
    },
  },
];

describe.each(targets)("storage on $name", (target) => {
  const skip = target.name === "PostgreSQL" && !pgReady;
  let opened: Awaited<ReturnType<Target["open"]>>;

  beforeAll(async () => {
    if (!skip) opened = await target.open();
  });
  afterAll(async () => {
    if (!skip) await opened.dispose();
  });

  test.skipIf(skip)("applies every migration once, then none", async () => {
    const again = await migrateToLatest(opened.handle.db);
    expect(again).toEqual({ applied: [], version: latestMigrationName() });
  });

  test.skipIf(skip)(
    "stores settings with their defaults and reads them back",
    async () => {
      const settings = createSettingsStore(opened.handle.db);
      expect(await settings.exchange()).toMatchObject({
        createCounterpartiesFromContacts: true,
      });
      await settings.put("exchange", {
        createCounterpartiesFromContacts: false,
        createCompaniesInAmocrm: true,
        innFieldId: 7,
        kppFieldId: null,
      });
      expect(await settings.exchange()).toMatchObject({
        createCounterpartiesFromContacts: false,
        innFieldId: 7,
      });
    },
  );

  test.skipIf(skip)(
    "keeps a secret encrypted at rest and out of the logs",
    async () => {
      const captured = captureLog("trace");
      const secrets = createSecretStore(opened.handle.db, createSecretBox(KEY));
      captured.log.info(
        { password: SECRET, secret: SECRET },
        "storing a secret",
      );
      await secrets.put("onec.password", SECRET);

      expect(await secrets.get("onec.password")).toBe(SECRET);
      const raw = await opened.rawContents();
      expect(raw).toContain("v1:");
      expect(raw).not.toContain("onec-password");
      expect(raw).not.toContain(Buffer.from(SECRET).toString("base64"));
      expect(captured.text()).not.toContain("onec-password");
      expect(captured.lines[0]).toMatchObject({ password: "[redacted]" });
    },
  );
});

describe("secret box", () => {
  test("refuses a value whose authentication tag was cut short", () => {
    const box = createSecretBox(KEY);
    const raw = Buffer.from(box.seal("", "webhook.secret").slice(3), "base64");
    // The nonce and the first 4 bytes of the tag: a prefix GCM would accept.
    const truncated = `v1:${raw.subarray(0, 16).toString("base64")}`;
    expect(() => box.open(truncated, "webhook.secret")).toThrow(
      expect.objectContaining({ code: "secret_decrypt_failed" }) as Error,
    );
  });

  test("refuses to open a value under another key or another name", () => {
    const box = createSecretBox(KEY);
    const sealed = box.seal("s3cret", "onec.password");
    expect(() =>
      createSecretBox(Buffer.alloc(32, 1)).open(sealed, "onec.password"),
    ).toThrow(/AMO1C_SECRET_KEY differs/);
    expect(() => box.open(sealed, "amocrm.auth_code")).toThrow(
      /cannot be decrypted/,
    );
  });
});
