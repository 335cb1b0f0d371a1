import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { withRequestCounter } from "../../src/observability/request-counter.js";
import { eq, guid } from "../../src/onec/index.js";
import { createPendingCreates } from "../../src/onec/pending-creates.js";
import { UT11_PROFILE } from "../../src/onec/profiles/ut11.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  createTempDatabase,
  type TempDatabase,
} from "../helpers/temp-database.js";
import { createTestGateways } from "./helpers/create-test-gateways.js";
import {
  countRequests,
  createTestClient,
  SEEDS,
  startTestOnec,
  type BaseName,
  type OnecEmulator,
} from "./helpers/start-test-onec.js";

let emulator: OnecEmulator;
let database: TempDatabase;
const { log } = captureLog("silent");

beforeAll(async () => {
  emulator = await startTestOnec();
  database = await createTempDatabase();
});
afterEach(() => {
  emulator.clearFaults();
  emulator.setDown(false);
  emulator.reset();
  emulator.clearRequests();
});
afterAll(async () => {
  await emulator.stop();
  await database.dispose();
});

const COUNTERPARTIES = "Catalog_Контрагенты";
const ORDERS = {
  ut11: "Document_ЗаказКлиента",
  bp30: "Document_СчетНаОплатуПокупателю",
} as const;
/** Short enough that a held answer fails fast, long enough for a real one. */
const SHORT_TIMEOUT_MS = 300;

describe.each(["ut11", "bp30"] as const)("failures in %s", (base: BaseName) => {
  const gateways = (timeoutMs?: number) =>
    createTestGateways({ emulator, base, database, log, timeoutMs });
  const named = (name: string) =>
    emulator.list(base, COUNTERPARTIES).filter((c) => c.Description === name);

  it("leaves exactly one counterparty when a create times out and is retried", async () => {
    emulator.injectFault({
      kind: "timeout",
      count: 1,
      method: "POST",
      entitySet: COUNTERPARTIES,
    });

    const created = await gateways(SHORT_TIMEOUT_MS).createCounterparty({
      kind: "legal",
      name: "Таймаут и Ко",
      inn: "7701000001",
      marker: "amo1c:company:201",
      purpose: `${base}:company:201`,
    });

    expect(named("Таймаут и Ко").map((c) => c.Ref_Key)).toEqual([created.ref]);
    expect(countRequests(emulator, "POST", COUNTERPARTIES)).toBe(1);
    if (base === "ut11") {
      expect(
        emulator
          .list(base, "Catalog_Партнеры")
          .filter((p) => p.Description === "Таймаут и Ко"),
      ).toHaveLength(1);
    }
    const pending = await database.db
      .selectFrom("onec_pending_creates")
      .selectAll()
      .where("purpose", "like", `${base}:company:201%`)
      .execute();
    expect(pending).toEqual([]);
  });

  it("leaves exactly one order when its create times out and is retried", async () => {
    const counterparty = await gateways().findCounterpartyByInn("7736207543");
    if (!counterparty)
      throw new Error("the seeded counterparty ЯНДЕКС is missing");
    emulator.injectFault({
      kind: "timeout",
      count: 1,
      method: "POST",
      entitySet: ORDERS[base],
    });

    const order = await gateways(SHORT_TIMEOUT_MS).createOrder({
      counterparty,
      contactPersonRef: null,
      sum: 500,
      comment: "Сделка #301",
      marker: "[amo1c:deal:301]",
      purpose: `${base}:deal:301:order`,
    });

    const withMarker = emulator
      .list(base, ORDERS[base])
      .filter((o) => String(o.Комментарий).includes("[amo1c:deal:301]"));
    expect(withMarker.map((o) => o.Ref_Key)).toEqual([order.ref]);
  });

  it("retries a create answered 503 and still makes one object", async () => {
    emulator.injectFault({
      kind: "status503",
      count: 2,
      method: "POST",
      entitySet: COUNTERPARTIES,
    });

    const created = await gateways().createCounterparty({
      kind: "person",
      name: "Повтор 503",
      marker: "amo1c:contact:503",
      purpose: `${base}:contact:503`,
    });

    expect(named("Повтор 503").map((c) => c.Ref_Key)).toEqual([created.ref]);
    expect(countRequests(emulator, "POST", COUNTERPARTIES)).toBe(3);
  });

  it("returns a business refusal with 1C's message and does not retry it", async () => {
    const message =
      "Контрагент с ИНН 7701000002 уже есть: «Ромашка» (код 000123)!";
    emulator.injectFault({
      kind: "business_refusal",
      count: 5,
      method: "POST",
      entitySet: COUNTERPARTIES,
      message,
    });

    const { result, counts } = await withRequestCounter(() =>
      gateways()
        .createCounterparty({
          kind: "legal",
          name: "Отказ",
          inn: "7701000002",
          marker: "m",
          purpose: `${base}:refused`,
        })
        .catch((error: unknown) => error),
    );

    expect(result).toMatchObject({
      code: "onec_business_error",
      source: "onec",
      retryable: false,
      remote: { status: 500, code: "-1", message },
      message: `1C refused to save ${COUNTERPARTIES}: ${message}`,
    });
    expect(countRequests(emulator, "POST", COUNTERPARTIES)).toBe(1);
    expect(counts.onec).toBe(emulator.requests().length);
  });

  it("retries a read answered 503 and counts every attempt", async () => {
    emulator.injectFault({
      kind: "status503",
      count: 2,
      method: "GET",
      entitySet: COUNTERPARTIES,
    });

    const { result, counts } = await withRequestCounter(() =>
      gateways().findCounterpartyByInn("7707083893"),
    );

    expect(result?.ref).toBe(SEEDS[base].counterpartyWithPhone);
    expect(countRequests(emulator, "GET", COUNTERPARTIES)).toBe(3);
    expect(counts.onec).toBe(3);
  });

  it("gives up on a read after the retries with onec_unavailable", async () => {
    emulator.setDown(true);

    await expect(
      gateways().findCounterpartyByInn("7707083893"),
    ).rejects.toMatchObject({
      code: "onec_unavailable",
      retryable: true,
      source: "onec",
    });
    expect(countRequests(emulator, "GET")).toBe(4);
  });

  it("reads an HTML login page as a credentials error and does not retry", async () => {
    emulator.injectFault({ kind: "html_login", count: 1, method: "GET" });

    await expect(
      gateways().findCounterpartyByInn("7707083893"),
    ).rejects.toMatchObject({
      code: "onec_unauthorized",
      retryable: false,
    });
    expect(countRequests(emulator, "GET")).toBe(1);
  });
});

describe("creates resumed after a failure", () => {
  it("returns the object an earlier attempt created instead of posting again", async () => {
    const ref = "0e000000-0000-4000-8000-000000000001";
    await createPendingCreates(database.db).claim(
      "bp30:crashed",
      COUNTERPARTIES,
      ref,
    );
    emulator.insert("bp30", COUNTERPARTIES, {
      Ref_Key: ref,
      Description: "Уже создан",
    });

    const created = await createTestGateways({
      emulator,
      base: "bp30",
      database,
      log,
    }).createCounterparty({
      kind: "person",
      name: "Уже создан",
      marker: "m",
      purpose: "bp30:crashed",
    });

    expect(created).toMatchObject({ ref, name: "Уже создан" });
    expect(countRequests(emulator, "POST")).toBe(0);
  });

  it.each(["ut11", "bp30"] as const)(
    "creates anew in %s when the earlier attempt's object is marked for deletion",
    async (base) => {
      const ref = "0e000000-0000-4000-8000-000000000002";
      const purpose = `${base}:deleted-since`;
      await createPendingCreates(database.db).claim(purpose, ORDERS[base], ref);
      emulator.insert(base, ORDERS[base], {
        Ref_Key: ref,
        DeletionMark: true,
        Комментарий: "[amo1c:deal:304]",
      });
      const gateways = createTestGateways({ emulator, base, database, log });
      const counterparty = await gateways.findCounterpartyByInn("7736207543");
      if (!counterparty) throw new Error("the seeded ЯНДЕКС is missing");

      const created = await gateways.createOrder({
        counterparty,
        contactPersonRef: null,
        sum: 304,
        comment: "",
        marker: "[amo1c:deal:304]",
        purpose,
      });

      expect(created.ref).not.toBe(ref);
      expect(emulator.get(base, ORDERS[base], created.ref)).toMatchObject({
        DeletionMark: false,
        СуммаДокумента: 304,
      });
      expect(emulator.get(base, ORDERS[base], ref)?.DeletionMark).toBe(true);
      expect(await gateways.findOrderByMarker("[amo1c:deal:304]")).toEqual(
        created,
      );
    },
  );

  it("reuses the UT 11 partner when the counterparty failed after it", async () => {
    const gateways = createTestGateways({
      emulator,
      base: "ut11",
      database,
      log,
    });
    const input = {
      kind: "legal" as const,
      name: "Две попытки",
      inn: "7701000003",
      marker: "amo1c:company:303",
      purpose: "ut11:company:303",
    };
    emulator.injectFault({
      kind: "business_refusal",
      count: 1,
      method: "POST",
      entitySet: COUNTERPARTIES,
    });

    await expect(gateways.createCounterparty(input)).rejects.toMatchObject({
      code: "onec_business_error",
    });
    const created = await gateways.createCounterparty(input);

    const partners = emulator
      .list("ut11", "Catalog_Партнеры")
      .filter((p) => p.Description === "Две попытки");
    expect(partners.map((p) => p.Ref_Key)).toEqual([created.partnerRef]);
    expect(countRequests(emulator, "POST", "Catalog_Партнеры")).toBe(1);
  });
});

describe("requests that must not reach 1C", () => {
  it("refuses a wrong password with onec_unauthorized, once", async () => {
    const client = createTestClient(emulator, "ut11", {
      log,
      password: "wrong",
    });

    await expect(client.list(COUNTERPARTIES, { top: 1 })).rejects.toMatchObject(
      {
        code: "onec_unauthorized",
        remote: { status: 401 },
      },
    );
    expect(emulator.requests()).toHaveLength(1);
  });

  it("refuses to write a field the base does not publish", async () => {
    const profile = {
      ...UT11_PROFILE,
      counterparty: {
        ...UT11_PROFILE.counterparty,
        fields: { ...UT11_PROFILE.counterparty.fields, marker: "Примечание" },
      },
    };
    const gateways = createTestGateways({
      emulator,
      base: "ut11",
      database,
      log,
      profile,
    });

    const create = gateways.createCounterparty({
      kind: "person",
      name: "Без поля",
      marker: "m",
      purpose: "ut11:no-field",
    });

    await expect(create).rejects.toMatchObject({
      code: "onec_field_not_published",
      fields: { "Catalog_Контрагенты.Примечание": "not published" },
    });
    expect(countRequests(emulator, "POST")).toBe(0);
  });

  it("reads $metadata anew before refusing, so a field published since is written", async () => {
    const marker = "Catalog_Контрагенты.ДополнительнаяИнформация";
    const gateways = createTestGateways({
      emulator,
      base: "ut11",
      database,
      log,
    });
    const create = (name: string) =>
      gateways.createCounterparty({
        kind: "person",
        name,
        marker: `[amo1c:contact:${name.length}]`,
        purpose: `ut11:publish-later:${name}`,
      });

    emulator.setComposition("ut11", { unpublishedFields: [marker] });
    const before = create("До публикации");
    await expect(before).rejects.toMatchObject({
      code: "onec_field_not_published",
      fields: { [marker]: "not published" },
    });
    emulator.setComposition("ut11", { unpublishedFields: [] });
    const after = await create("После публикации");

    expect(countRequests(emulator, "POST", COUNTERPARTIES)).toBe(1);
    expect(
      emulator.get("ut11", COUNTERPARTIES, after.ref)?.ДополнительнаяИнформация,
    ).toBe("[amo1c:contact:16]");
  });

  it("names an unpublished goods-row column before the first order write", async () => {
    emulator.setComposition("ut11", {
      unpublishedFields: ["Document_ЗаказКлиента.Товары/ВариантОбеспечения"],
    });
    const gateways = createTestGateways({
      emulator,
      base: "ut11",
      database,
      log,
    });
    const counterparty = await gateways.findCounterpartyByInn("7736207543");
    if (!counterparty) throw new Error("the seeded ЯНДЕКС is missing");

    await expect(
      gateways.createOrder({
        counterparty,
        contactPersonRef: null,
        sum: 700,
        comment: "",
        marker: "[amo1c:deal:302]",
        purpose: "ut11:deal:302:order",
      }),
    ).rejects.toMatchObject({
      code: "onec_field_not_published",
      fields: {
        "Document_ЗаказКлиента.Товары/ВариантОбеспечения": "not published",
      },
    });
    expect(countRequests(emulator, "POST")).toBe(0);
  });

  it("refuses to write to a set outside the OData composition", async () => {
    const narrow = await startTestOnec({
      published: {
        ut11: ["Catalog_Контрагенты", "Catalog_ВидыКонтактнойИнформации"],
      },
    });
    try {
      const gateways = createTestGateways({
        emulator: narrow,
        base: "ut11",
        database,
        log,
      });

      await expect(
        gateways.createCounterparty({
          kind: "person",
          name: "Нет партнёров",
          marker: "m",
          purpose: "ut11:no-set",
        }),
      ).rejects.toMatchObject({ code: "onec_entity_not_published" });
      expect(countRequests(narrow, "POST")).toBe(0);
    } finally {
      await narrow.stop();
    }
  });
});

describe("$metadata", () => {
  it("is fetched once per client however many writes follow", async () => {
    const gateways = createTestGateways({
      emulator,
      base: "bp30",
      database,
      log,
    });
    for (const n of [1, 2, 3]) {
      await gateways.createCounterparty({
        kind: "person",
        name: `Клиент ${n}`,
        marker: `amo1c:contact:40${n}`,
        purpose: `bp30:contact:40${n}`,
      });
    }

    const metadataReads = emulator
      .requests()
      .filter((r) => r.path.endsWith("/$metadata"));
    expect(metadataReads).toHaveLength(1);
  });

  it("reads a login page in place of $metadata as a credentials error", async () => {
    emulator.injectFault({
      kind: "html_login",
      count: 1,
      method: "GET",
      entitySet: "$metadata",
    });
    const client = createTestClient(emulator, "ut11", { log });

    await expect(client.metadata()).rejects.toMatchObject({
      code: "onec_unauthorized",
    });
  });
});

describe("long filters", () => {
  it("splits an OR list over several requests the web server accepts", async () => {
    const client = createTestClient(emulator, "ut11", { log });
    const seeded = emulator
      .list("ut11", COUNTERPARTIES)
      .map((c) => String(c.Ref_Key));
    const unknown = Array.from(
      { length: 80 },
      (_, i) => `0f000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );

    const rows = await client.list(COUNTERPARTIES, {
      filter: eq("DeletionMark", false),
      anyOf: [...unknown, ...seeded].map((ref) => eq("Ref_Key", guid(ref))),
      select: ["Ref_Key"],
    });

    expect(rows.map((r) => r.Ref_Key).sort()).toEqual([...seeded].sort());
    const sent = emulator.requests();
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((r) => r.status === 200)).toBe(true);
  });
});

describe("1C's own words in errors", () => {
  const client = () => createTestClient(emulator, "ut11", { log });

  it.each([
    [
      "code 8 for a set outside the composition",
      () => client().list("Catalog_НетТакого", { top: 1 }),
      "onec_entity_not_published",
      /"Настройка стандартного интерфейса OData"\) \(1C, code 8: «Тип сущности не найден»\)$/,
    ],
    [
      "code 9 for an unknown key",
      () =>
        client().update(
          COUNTERPARTIES,
          "0e000000-0000-4000-8000-0000000000aa",
          {
            Description: "Нет такого",
          },
        ),
      "onec_not_found",
      /^The object was not found in Catalog_Контрагенты \(1C, code 9: «Экземпляр сущности не найден»\)$/,
    ],
    [
      "code 20 for missing rights",
      () => {
        emulator.injectFault({ kind: "access_denied", count: 1 });
        return client().list(COUNTERPARTIES, { top: 1 });
      },
      "onec_access_denied",
      /grant it in 1C \(.*\) \(1C, code 20: «Ошибка прав доступа»\)$/,
    ],
  ])("keeps %s after amo1c's advice", async (_case, call, code, message) => {
    const failure = call();

    await expect(failure).rejects.toMatchObject({ code });
    await expect(failure).rejects.toThrow(message);
  });
});
