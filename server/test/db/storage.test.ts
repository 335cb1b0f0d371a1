import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

import jwt from "jsonwebtoken";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import type { SettingsView } from "../../../shared/settings.js";
import { findFreePort } from "../../../scripts/stand/find-free-port.js";
import { createAmo1c } from "../../src/app/create-amo1c.js";
import { loadConfig } from "../../src/config/load-config.js";
import { createDealStateRepository } from "../../src/exchange/deal-state-repository.js";
import {
  createEntityLinksRepository,
  type EntityLink,
} from "../../src/exchange/entity-links-repository.js";
import {
  createJournalRepository,
  type JournalEntry,
} from "../../src/exchange/journal-repository.js";

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
import {
  signWidgetToken,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../helpers/sign-widget-token.js";
import { createTempDatabase } from "../helpers/temp-database.js";

const KEY = Buffer.from("0123456789abcdef0123456789abcdef");
const SECRET = "onec-password-Ünïcode-Пароль-42";

interface Opened {
  handle: DatabaseHandle;
  /** What amo1c's own config calls this database. */
  databaseUrl: string;
  /** Everything the database holds at rest, as bytes. */
  rawContents(): Promise<Buffer>;
  dispose(): Promise<void>;
}

interface Target {
  name: string;
  open(): Promise<Opened>;
}

const pgReady = await postgresAvailable();

/** The main file and its WAL as they are on disk while amo1c runs. */
function readSqliteFiles(file: string): Buffer {
  const parts = [file, `${file}-wal`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f));
  return Buffer.concat(parts);
}

/** Every row of every table, for PostgreSQL where there is no one file. */
async function dumpAllTables(handle: DatabaseHandle): Promise<Buffer> {
  const tables = await handle.db.introspection.getTables();
  const rows: unknown[] = [];
  for (const table of tables) {
    const { rows: found } = await sql`select * from ${sql.id(
      table.schema ?? "public",
      table.name,
    )}`.execute(handle.db);
    rows.push({ table: table.name, rows: found });
  }
  return Buffer.from(JSON.stringify(rows), "utf8");
}

const targets: Target[] = [
  {
    name: "SQLite",
    async open() {
      const temp = await createTempDatabase();
      return {
        handle: temp,
        databaseUrl: `file:${temp.file}`,
        rawContents: () => Promise.resolve(readSqliteFiles(temp.file)),
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
        databaseUrl: scratch.url,
        rawContents: () => dumpAllTables(handle),
        dispose: async () => {
          await handle.close().catch(() => undefined);
          await scratch.drop();
        },
      };
    },
  },
];

/** A settings body as the widget's settings page sends it. */
function settingsWith(password: string, token: string) {
  return {
    amocrm: {
      host: "acme.amocrm.ru",
      longLivedToken: true,
      tokenExpiresOn: "2030-01-01",
      accessToken: token,
    },
    onec: {
      odataUrl: "http://onec.example.com/base/odata/standard.odata",
      user: "amo1c",
      password,
      profile: "ut11",
      timeZone: "Europe/Moscow",
    },
    exchange: {},
  };
}

/** The byte sequences a leak could take: the value and each token part. */
function secretForms(password: string, token: string): Buffer[] {
  const [, payload, signature] = token.split(".");
  return [
    Buffer.from(password, "utf8"),
    Buffer.from(Buffer.from(password, "utf8").toString("base64")),
    Buffer.from(token),
    Buffer.from(payload ?? token),
    Buffer.from(signature ?? token),
  ];
}

describe.each(targets)("storage on $name", (target) => {
  const skip = target.name === "PostgreSQL" && !pgReady;
  let opened: Opened;

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
      const raw = (await opened.rawContents()).toString("latin1");
      expect(raw).toContain("v1:");
      expect(raw).not.toContain("onec-password");
      expect(raw).not.toContain(Buffer.from(SECRET).toString("base64"));
      expect(captured.text()).not.toContain("onec-password");
      expect(captured.lines[0]).toMatchObject({ password: "[redacted]" });
    },
  );

  test.skipIf(skip)("keeps deal links, replacing one per key", async () => {
    const links = createEntityLinksRepository(opened.handle.db);
    const link: EntityLink = {
      kind: "company_counterparty",
      amoId: 9_007_199_254_740_000,
      ownerRef: "",
      onecRef: "b5a1c0de-0000-4000-8000-000000000001",
      partnerRef: null,
      name: "ООО «Ромашка»",
      inn: "7701234567",
      origin: "company",
    };
    await links.save(link);
    await links.save({
      ...link,
      kind: "contact_person",
      amoId: 42,
      ownerRef: link.onecRef,
      onecRef: "b5a1c0de-0000-4000-8000-000000000002",
    });
    expect(await links.find("company_counterparty", link.amoId)).toEqual(link);
    expect(await links.find("contact_person", 42)).toBeNull();
    expect(await links.find("contact_person", 42, link.onecRef)).toMatchObject({
      onecRef: "b5a1c0de-0000-4000-8000-000000000002",
    });

    const moved = { ...link, onecRef: "b5a1c0de-0000-4000-8000-000000000003" };
    await links.save(moved);
    expect(await links.find("company_counterparty", link.amoId)).toEqual(moved);
    expect(
      await links.findByOnecRef("company_counterparty", link.onecRef),
    ).toEqual([]);
    expect(
      await links.findByOnecRef("company_counterparty", moved.onecRef),
    ).toEqual([moved]);

    await links.remove("company_counterparty", link.amoId);
    expect(await links.find("company_counterparty", link.amoId)).toBeNull();
  });

  test.skipIf(skip)(
    "appends to the exchange journal, newest first",
    async () => {
      const journal = createJournalRepository(opened.handle.db);
      const entry = (n: number): JournalEntry => ({
        dealId: 7001,
        trigger: "webhook",
        startedAt: `2026-01-0${n}T10:00:00.000Z`,
        durationMs: 100 * n,
        outcome: n === 3 ? "failed" : "ok",
        amocrmRequests: n,
        onecRequests: 2 * n,
        details: { reads: [`lead ${n}`], writes: [`Заказ №${n}`] },
        error:
          n === 3
            ? {
                code: "onec_unavailable",
                message: "1C is down",
                source: "onec",
              }
            : null,
      });
      for (const n of [1, 2, 3]) await journal.append(entry(n));
      await journal.append({ ...entry(1), dealId: 7002 });

      expect(await journal.listForDeal(7001)).toEqual([
        entry(3),
        entry(2),
        entry(1),
      ]);
      expect(await journal.listForDeal(7001, 1)).toEqual([entry(3)]);
      expect(await journal.listForDeal(7003)).toEqual([]);
    },
  );

  test.skipIf(skip)("patches deal state column by column", async () => {
    const states = createDealStateRepository(opened.handle.db);
    expect(await states.get(8001)).toBeNull();

    await states.patch(8001, { deal_name: "Поставка", order_sum: 1234.5 });
    await states.patch(8001, { last_status: "ok", order_number: "УТ-0001" });

    expect(await states.get(8001)).toMatchObject({
      deal_id: 8001,
      deal_name: "Поставка",
      order_sum: 1234.5,
      order_number: "УТ-0001",
      last_status: "ok",
      counterparty_ref: null,
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });
    expect(await states.get(8002)).toBeNull();
  });

  test.skipIf(skip)(
    "keeps secrets saved through the settings API out of the database and every log line",
    async () => {
      const captured = captureLog("trace");
      const port = await findFreePort();
      const amo1c = await createAmo1c({
        config: loadConfig({
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          DATABASE_URL: opened.databaseUrl,
          AMO1C_SECRET_KEY: KEY.toString("base64"),
          AMOCRM_CLIENT_ID: TEST_CLIENT_ID,
          AMOCRM_CLIENT_SECRET: TEST_CLIENT_SECRET,
          LOG_LEVEL: "trace",
        }),
        log: captured.log,
        schedule: false,
      });
      const { url } = await amo1c.listen(port, "127.0.0.1");
      const password = `1c-пароль-${randomBytes(6).toString("hex")}`;
      const token = jwt.sign(
        { jti: randomBytes(8).toString("hex"), account_id: 31000001 },
        randomBytes(32),
        { expiresIn: "300d", algorithm: "HS256" },
      );

      try {
        const saved = await fetch(`${url}/api/v1/settings`, {
          method: "PUT",
          headers: {
            "content-type": "application/json",
            "x-auth-token": signWidgetToken(new URL(url).origin),
          },
          body: JSON.stringify(settingsWith(password, token)),
        });
        expect(saved.status).toBe(200);
        const view = (await saved.json()) as SettingsView;
        expect(view.onec?.passwordSet).toBe(true);
        expect(view.amocrm.accessTokenMasked).toBe(`…${token.slice(-4)}`);
        expect(await amo1c.secrets.get("onec.password")).toBe(password);

        const raw = await opened.rawContents();
        // The plain settings are there: the bytes read are the ones stored.
        expect(raw.includes(Buffer.from("onec.example.com"))).toBe(true);
        for (const secret of secretForms(password, token))
          expect(raw.includes(secret)).toBe(false);
      } finally {
        await amo1c.stop();
      }

      // The settings were logged at trace: the request line, the app line.
      const text = captured.text();
      expect(text).toContain('"msg":"settings saved"');
      expect(text).toContain("/api/v1/settings");
      for (const secret of secretForms(password, token))
        expect(Buffer.from(text).includes(secret)).toBe(false);
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
