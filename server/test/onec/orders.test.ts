import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { CounterpartyRecord } from "../../src/onec/gateway-types.js";
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
import { startWireTap } from "./helpers/start-wire-tap.js";

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

const DOCUMENT = {
  ut11: "Document_ЗаказКлиента",
  bp30: "Document_СчетНаОплатуПокупателю",
} as const;

describe.each(["ut11", "bp30"] as const)(
  "customer orders in %s",
  (base: BaseName) => {
    const seed = SEEDS[base];
    const gateways = () =>
      createTestGateways({ emulator, base, database, log });
    const yandex = async (): Promise<CounterpartyRecord> => {
      const found = await gateways().findCounterpartyByInn("7736207543");
      if (!found) throw new Error("the seeded counterparty ЯНДЕКС is missing");
      return found;
    };
    const ivanova = async (owner: CounterpartyRecord) =>
      (
        await gateways().findContactPerson(owner, {
          name: "Иванова Мария Сергеевна",
        })
      )?.ref ?? null;

    const dealItemRow = (sum: number) =>
      base === "ut11"
        ? {
            LineNumber: "1",
            Номенклатура_Key: seed.dealItem,
            Количество: 1,
            КоличествоУпаковок: 1,
            Цена: sum,
            Сумма: sum,
            СуммаСНДС: sum,
            СтавкаНДС_Key: seed.vatRate,
            ВариантОбеспечения: "Отгрузить",
          }
        : {
            LineNumber: "1",
            Номенклатура: seed.dealItem,
            Номенклатура_Type: "StandardODATA.Catalog_Номенклатура",
            Количество: 1,
            Цена: sum,
            Сумма: sum,
            СтавкаНДС: "БезНДС",
          };
    const noDealItem = { dealItemRef: "", vatRateRef: "" };

    it("creates an unposted order with the settings' defaults and finds it by marker", async () => {
      const counterparty = await yandex();
      const contactPersonRef = await ivanova(counterparty);
      const order = await gateways().createOrder({
        counterparty,
        contactPersonRef,
        sum: 12345.67,
        comment: "Сделка «Поставка бумаги» #42",
        marker: "[amo1c:deal:42]",
        purpose: `${base}:deal:42:order`,
      });

      expect(order).toMatchObject({
        date: "2026-03-01T12:15:00",
        sum: 12345.67,
        counterpartyRef: counterparty.ref,
        contactPersonRef: base === "ut11" ? contactPersonRef : null,
        comment: "Сделка «Поставка бумаги» #42 [amo1c:deal:42]",
      });
      expect(order.number).not.toBe("");
      const stored = emulator.get(base, DOCUMENT[base], order.ref);
      expect(stored).toMatchObject({
        Posted: false,
        Организация_Key: seed.organization,
      });
      if (base === "ut11") {
        expect(stored).toMatchObject({
          Партнер_Key: counterparty.partnerRef,
          Соглашение_Key: seed.agreement,
          Склад_Key: seed.warehouse,
          Валюта_Key: seed.currency,
          ХозяйственнаяОперация: "РеализацияКлиенту",
          Статус: "НеСогласован",
        });
      } else {
        expect(stored).toMatchObject({
          ВалютаДокумента_Key: seed.currency,
          ВидОперации: "ТоварыИУслуги",
        });
      }
      expect(await gateways().findOrderByMarker("[amo1c:deal:42]")).toEqual(
        order,
      );
      expect(await gateways().findOrderByMarker("[amo1c:deal:4]")).toBeNull();
      expect(await gateways().findOrderByRef(order.ref)).toEqual(order);
    });

    it("updates only the fields that changed", async () => {
      const tap = await startWireTap(emulator.url);
      try {
        const client = createTestClient(emulator, base, {
          log,
          odataUrl: `${tap.url}/${base}/odata/standard.odata`,
        });
        const g = createTestGateways({ emulator, base, database, log, client });
        const counterparty = await yandex();
        const order = await g.createOrder({
          counterparty,
          contactPersonRef: null,
          sum: 100,
          comment: "Сделка #43 [amo1c:deal:43]",
          marker: "[amo1c:deal:43]",
          purpose: `${base}:deal:43:order`,
        });

        const updated = await g.updateOrder(order.ref, {
          counterparty,
          sum: 250.5,
          comment: "Сделка #43 [amo1c:deal:43]",
        });
        const unchanged = await g.updateOrder(order.ref, { sum: 250.5 });

        expect(updated).toMatchObject({ sum: 250.5, comment: order.comment });
        expect(unchanged).toEqual(updated);
        const patches = tap.requests.filter((r) => r.method === "PATCH");
        expect(patches.map((r) => JSON.parse(r.body) as unknown)).toEqual([
          { СуммаДокумента: 250.5, Товары: [dealItemRow(250.5)] },
        ]);
      } finally {
        await tap.stop();
      }
    });

    it("books the deal's sum on one goods row of the chosen item", async () => {
      const g = createTestGateways({
        emulator,
        base,
        database,
        log,
      });

      const order = await g.createOrder({
        counterparty: await yandex(),
        contactPersonRef: null,
        sum: 4990.5,
        comment: "Сделка #45",
        marker: "[amo1c:deal:45]",
        purpose: `${base}:deal:45:order`,
      });

      expect(order.sum).toBe(4990.5);
      const stored = emulator.get(base, DOCUMENT[base], order.ref);
      expect(stored?.СуммаДокумента).toBe(4990.5);
      expect(stored?.Товары).toEqual([
        expect.objectContaining(dealItemRow(4990.5)),
      ]);
      expect((await g.findOrderByRef(order.ref))?.sum).toBe(4990.5);
    });

    it("rewrites the goods row and the sum when the deal's sum changes", async () => {
      const tap = await startWireTap(emulator.url);
      try {
        const client = createTestClient(emulator, base, {
          log,
          odataUrl: `${tap.url}/${base}/odata/standard.odata`,
        });
        const g = createTestGateways({
          emulator,
          base,
          database,
          log,
          client,
        });
        const order = await g.createOrder({
          counterparty: await yandex(),
          contactPersonRef: null,
          sum: 100,
          comment: "",
          marker: "[amo1c:deal:46]",
          purpose: `${base}:deal:46:order`,
        });

        const updated = await g.updateOrder(order.ref, { sum: 250.5 });
        const unchanged = await g.updateOrder(order.ref, { sum: 250.5 });

        expect(updated.sum).toBe(250.5);
        expect(unchanged).toEqual(updated);
        const patches = tap.requests.filter((r) => r.method === "PATCH");
        expect(patches.map((r) => JSON.parse(r.body) as unknown)).toEqual([
          { СуммаДокумента: 250.5, Товары: [dealItemRow(250.5)] },
        ]);
        const stored = emulator.get(base, DOCUMENT[base], order.ref);
        expect(stored?.СуммаДокумента).toBe(250.5);
        expect(stored?.Товары).toEqual([
          expect.objectContaining(dealItemRow(250.5)),
        ]);
      } finally {
        await tap.stop();
      }
    });

    it("refuses a deal's sum when no item carries it, sending nothing", async () => {
      const g = createTestGateways({
        emulator,
        base,
        database,
        log,
        settings: noDealItem,
      });
      const counterparty = await yandex();
      const existing = await gateways().createOrder({
        counterparty,
        contactPersonRef: null,
        sum: 100,
        comment: "",
        marker: "[amo1c:deal:47]",
        purpose: `${base}:deal:47:order`,
      });
      emulator.clearRequests();

      const create = g.createOrder({
        counterparty,
        contactPersonRef: null,
        sum: 12345.67,
        comment: "",
        marker: "[amo1c:deal:48]",
        purpose: `${base}:deal:48:order`,
      });
      const update = g.updateOrder(existing.ref, { sum: 250.5 });

      const refusal = {
        code: "onec_not_configured",
        status: 422,
        retryable: false,
        fields: { "onec.dealItemRef": "choose the item for the deal's sum" },
      };
      await expect(create).rejects.toMatchObject(refusal);
      await expect(update).rejects.toMatchObject(refusal);
      await expect(create).rejects.toThrow(
        /Choose the item for the deal's sum in the settings \(1C section\)/,
      );
      expect(countRequests(emulator, "POST")).toBe(0);
      expect(countRequests(emulator, "PATCH")).toBe(0);
      expect(
        emulator.get(base, DOCUMENT[base], existing.ref)?.СуммаДокумента,
      ).toBe(100);
    });

    it("creates an order of sum 0 without an item", async () => {
      const g = createTestGateways({
        emulator,
        base,
        database,
        log,
        settings: noDealItem,
      });

      const order = await g.createOrder({
        counterparty: await yandex(),
        contactPersonRef: null,
        sum: 0,
        comment: "",
        marker: "[amo1c:deal:49]",
        purpose: `${base}:deal:49:order`,
      });

      expect(order.sum).toBe(0);
      expect(emulator.get(base, DOCUMENT[base], order.ref)?.Товары).toEqual([]);
    });

    it("reads 1C's empty date and references as null", async () => {
      const ref = emulator.insert(base, DOCUMENT[base], {});
      // The emulator dates new documents, as 1C does; a PATCH empties it.
      await createTestClient(emulator, base, { log }).update(
        DOCUMENT[base],
        ref,
        { Date: "0001-01-01T00:00:00" },
      );

      expect(await gateways().findOrderByRef(ref)).toMatchObject({
        date: null,
        counterpartyRef: null,
        contactPersonRef: null,
      });
    });

    it("refuses to create an order when no organization is chosen", async () => {
      const g = createTestGateways({
        emulator,
        base,
        database,
        log,
        settings: { organizationRef: "" },
      });

      const create = g.createOrder({
        counterparty: await yandex(),
        contactPersonRef: null,
        sum: 1,
        comment: "",
        marker: "[amo1c:deal:44]",
        purpose: `${base}:deal:44:order`,
      });

      await expect(create).rejects.toMatchObject({
        code: "onec_not_configured",
        fields: { "onec.organizationRef": "choose a value in the settings" },
      });
      expect(countRequests(emulator, "POST")).toBe(0);
    });

    it("reports an order marked for deletion as gone on update", async () => {
      const ref = emulator.insert(base, DOCUMENT[base], { DeletionMark: true });

      expect(await gateways().findOrderByRef(ref)).toBeNull();
      await expect(
        gateways().updateOrder(ref, { sum: 1 }),
      ).rejects.toMatchObject({
        code: "onec_not_found",
        status: 404,
      });
    });
  },
);
