import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { captureLog } from "../helpers/capture-log.js";
import {
  createTempDatabase,
  type TempDatabase,
} from "../helpers/temp-database.js";
import { createTestGateways } from "./helpers/create-test-gateways.js";
import {
  countRequests,
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
  emulator.reset();
  emulator.clearRequests();
});
afterAll(async () => {
  await emulator.stop();
  await database.dispose();
});

const COUNTERPARTIES = "Catalog_Контрагенты";

/** Names that break naive filters, URLs or encodings. */
const TRICKY_NAMES = [
  "O'Brien & Sons",
  'ООО "Ромашка"',
  "«Ёлочка» и ёжик",
  "Smith-Иванов 'Jr.' ltd",
  "Цветы 🌸🌼 и семья 👨‍👩‍👧",
  "100% [скидка] _тест_",
  "a+b c/d?e#f=g",
  "''",
];

describe.each(["ut11", "bp30"] as const)(
  "counterparties in %s",
  (base: BaseName) => {
    const seed = SEEDS[base];
    const gateways = () =>
      createTestGateways({ emulator, base, database, log });

    it("finds a seeded counterparty by INN, by INN with KPP and by ref", async () => {
      const byInn = await gateways().findCounterpartyByInn("7707083893");
      const byInnKpp = await gateways().findCounterpartyByInn(
        "7707083893",
        "773601001",
      );
      const otherBranch = await gateways().findCounterpartyByInn(
        "7707083893",
        "773601999",
      );

      expect(byInn).toMatchObject({
        ref: seed.counterpartyWithPhone,
        name: "Сбербанк ПАО",
        inn: "7707083893",
        kpp: "773601001",
        kind: "legal",
      });
      expect(byInnKpp?.ref).toBe(seed.counterpartyWithPhone);
      expect(otherBranch).toBeNull();
      expect(
        await gateways().findCounterpartyByRef(seed.counterpartyWithPhone),
      ).toEqual(byInn);
    });

    it("reads a seeded sole proprietor with its kind", async () => {
      const found = await gateways().findCounterpartyByInn("500100732259");

      expect(found).toMatchObject({ kind: "sole_proprietor", kpp: null });
    });

    it("finds a counterparty by a phone typed in another format", async () => {
      for (const phone of [
        "8 (495) 500-55-50",
        "+74955005550",
        "495 5005550",
      ]) {
        const found = await gateways().findCounterpartyByPhone(phone);
        expect(found?.ref, phone).toBe(seed.counterpartyWithPhone);
      }
      expect(
        await gateways().findCounterpartyByPhone("+7 495 500-55-51"),
      ).toBeNull();
    });

    it("finds a phone stored formatted by its number without codes", async () => {
      const ref = emulator.insert(base, COUNTERPARTIES, {
        Description: "Телефон со скобками",
        КонтактнаяИнформация: [
          {
            LineNumber: "1",
            Тип: "Телефон",
            Представление: "8 (916) 765-43-21",
            НомерТелефона: "+7 (916) 765-43-21",
            НомерТелефонаБезКодов: "7654321",
          },
        ],
      });

      expect(
        (await gateways().findCounterpartyByPhone("+79167654321"))?.ref,
      ).toBe(ref);
      expect(
        await gateways().findCounterpartyByPhone("+79267654321"),
      ).toBeNull();
    });

    it("never returns an object marked for deletion or a folder", async () => {
      const marked = emulator.insert(base, COUNTERPARTIES, {
        Description: "Удалённый",
        ИНН: "7700000001",
        DeletionMark: true,
      });

      expect(await gateways().findCounterpartyByInn("7700000001")).toBeNull();
      expect(await gateways().findCounterpartyByRef(marked)).toBeNull();
      if (seed.folder) {
        expect(await gateways().findCounterpartyByRef(seed.folder)).toBeNull();
      }
    });

    it("creates a legal entity with phone and e-mail and finds it by each", async () => {
      const created = await gateways().createCounterparty({
        kind: "legal",
        name: "Ромашка",
        inn: "7712345678",
        kpp: "771201001",
        phone: "+7 (916) 555-44-33",
        email: "info@romashka.example",
        marker: "amo1c:company:101",
        purpose: `${base}:company:101`,
      });

      expect(created).toMatchObject({
        name: "Ромашка",
        inn: "7712345678",
        kpp: "771201001",
        kind: "legal",
      });
      const stored = emulator.get(base, COUNTERPARTIES, created.ref);
      expect(stored?.КонтактнаяИнформация).toMatchObject([
        {
          LineNumber: "1",
          Тип: "Телефон",
          Представление: "+7 (916) 555-44-33",
          НомерТелефона: "79165554433",
        },
        {
          LineNumber: "2",
          Тип: "АдресЭлектроннойПочты",
          АдресЭП: "info@romashka.example",
        },
      ]);
      const g = gateways();
      expect((await g.findCounterpartyByPhone("89165554433"))?.ref).toBe(
        created.ref,
      );
      expect(
        (await g.findCounterpartyByEmail("info@romashka.example"))?.ref,
      ).toBe(created.ref);
      expect((await g.findCounterpartyByMarker("amo1c:company:101"))?.ref).toBe(
        created.ref,
      );
      expect(await g.findCounterpartyByMarker("amo1c:company:10")).toBeNull();
      expect(
        await database.db
          .selectFrom("onec_pending_creates")
          .selectAll()
          .execute(),
      ).toEqual([]);
    });

    it("creates a sole proprietor and a private person", async () => {
      const proprietor = await gateways().createCounterparty({
        kind: "sole_proprietor",
        name: "ИП Смирнова А. А.",
        inn: "771234567890",
        marker: "amo1c:company:102",
        purpose: `${base}:company:102`,
      });
      const person = await gateways().createCounterparty({
        kind: "person",
        name: "Кузнецов Игорь",
        phone: "+7 903 111-22-33",
        marker: "amo1c:contact:7",
        purpose: `${base}:contact:7`,
      });

      expect(proprietor).toMatchObject({
        kind: "sole_proprietor",
        inn: "771234567890",
      });
      expect(person).toMatchObject({ kind: "person", inn: null });
      expect((await gateways().findCounterpartyByRef(person.ref))?.kind).toBe(
        "person",
      );
    });

    it("refuses a legal entity without a 10-digit INN before sending anything", async () => {
      const create = gateways().createCounterparty({
        kind: "legal",
        name: "Без ИНН",
        inn: "12345",
        marker: "m",
        purpose: `${base}:bad-inn`,
      });

      await expect(create).rejects.toMatchObject({
        code: "validation_failed",
        fields: { inn: "the INN of a legal entity has 10 digits" },
      });
      expect(countRequests(emulator, "POST")).toBe(0);
    });

    it.each(TRICKY_NAMES)(
      "round-trips the name %s and finds it again",
      async (name) => {
        const email = `o'brien+${TRICKY_NAMES.indexOf(name)}@example.com`;
        const marker = `amo1c:${name}`;
        const created = await gateways().createCounterparty({
          kind: "person",
          name,
          email,
          marker,
          purpose: `${base}:tricky:${name}`,
        });

        expect(created.name).toBe(name);
        expect(
          (await gateways().findCounterpartyByRef(created.ref))?.name,
        ).toBe(name);
        expect((await gateways().findCounterpartyByEmail(email))?.ref).toBe(
          created.ref,
        );
        expect((await gateways().findCounterpartyByMarker(marker))?.ref).toBe(
          created.ref,
        );
      },
    );
  },
);

describe("UT 11 partners", () => {
  it("creates the client partner first and links the counterparty to it", async () => {
    const gateways = createTestGateways({
      emulator,
      base: "ut11",
      database,
      log,
    });
    const created = await gateways.createCounterparty({
      kind: "person",
      name: "Соколова Анна",
      marker: "amo1c:contact:9",
      purpose: "ut11:contact:9",
    });

    expect(created.partnerRef).not.toBeNull();
    const partner = emulator.get(
      "ut11",
      "Catalog_Партнеры",
      created.partnerRef ?? "",
    );
    expect(partner).toMatchObject({
      Description: "Соколова Анна",
      Клиент: true,
      ЮрФизЛицо: "ЧастноеЛицо",
      Комментарий: "amo1c:contact:9",
    });
    expect(emulator.get("ut11", COUNTERPARTIES, created.ref)).toMatchObject({
      ЮрФизЛицо: "ФизЛицо",
      Партнер_Key: created.partnerRef,
      ДополнительнаяИнформация: "amo1c:contact:9",
    });
  });
});
