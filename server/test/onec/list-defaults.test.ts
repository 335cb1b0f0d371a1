import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  listAgreements,
  listCurrencies,
  listItems,
  listOrganizations,
  listVatRates,
  listWarehouses,
} from "../../src/onec/list-defaults.js";
import { detectProfile } from "../../src/onec/profiles/detect-profile.js";
import { getOnecProfile } from "../../src/onec/profiles/get-onec-profile.js";
import { captureLog } from "../helpers/capture-log.js";
import {
  createTestClient,
  SEEDS,
  startTestOnec,
  type OnecEmulator,
} from "./helpers/start-test-onec.js";

let emulator: OnecEmulator;
const { log } = captureLog("silent");

beforeAll(async () => {
  emulator = await startTestOnec();
});
afterAll(() => emulator.stop());

describe("settings-page lists", () => {
  it("lists UT 11 organizations, agreements, warehouses and currencies by name", async () => {
    const client = createTestClient(emulator, "ut11", { log });
    const profile = getOnecProfile("ut11");
    emulator.insert("ut11", "Catalog_Организации", {
      Description: "Удалённая",
      DeletionMark: true,
    });

    const organizations = await listOrganizations(client, profile);

    expect(organizations).toEqual([
      { ref: "6c1e7a11-3f2b-11ee-8d4a-0050569f1a01", name: "Весна-Регион" },
      { ref: SEEDS.ut11.organization, name: "Торговый дом «Весна»" },
    ]);
    expect((await listAgreements(client, profile)).map((a) => a.ref)).toContain(
      SEEDS.ut11.agreement,
    );
    expect(await listWarehouses(client, profile)).toEqual([
      { ref: SEEDS.ut11.warehouse, name: "Основной склад" },
    ]);
    expect(await listCurrencies(client, profile)).toEqual([
      { ref: SEEDS.ut11.currency, name: "руб." },
    ]);
  });

  it("has no agreements in BP 3.0", async () => {
    const client = createTestClient(emulator, "bp30", { log });

    expect(await listAgreements(client, getOnecProfile("bp30"))).toEqual([]);
    expect(
      (await listOrganizations(client, getOnecProfile("bp30"))).map(
        (o) => o.name,
      ),
    ).toEqual(["Весна ООО", "Сидоров А. В. ИП"]);
  });
});

describe("the item carrying the deal's sum", () => {
  it("lists UT 11 items and VAT rates by name, leaving out marked ones", async () => {
    const client = createTestClient(emulator, "ut11", { log });
    const profile = getOnecProfile("ut11");
    emulator.insert("ut11", "Catalog_Номенклатура", {
      Description: "Снятая с продажи",
      DeletionMark: true,
    });

    expect(await listItems(client, profile)).toEqual([
      {
        ref: "8fc14d90-3f2b-11ee-8d4a-0050569f1a01",
        name: "Бумага офисная А4",
      },
      { ref: SEEDS.ut11.dealItem, name: "Доставка" },
    ]);
    expect((await listVatRates(client, profile)).map((r) => r.name)).toEqual([
      "20%",
      "Без НДС",
    ]);
  });

  it("lists BP 3.0 items without folders and no VAT rate catalog", async () => {
    const client = createTestClient(emulator, "bp30", { log });
    const profile = getOnecProfile("bp30");
    emulator.insert("bp30", "Catalog_Номенклатура", {
      Description: "Услуги",
      IsFolder: true,
    });

    expect(await listItems(client, profile)).toEqual([
      { ref: SEEDS.bp30.dealItem, name: "Бумага офисная А4" },
    ]);
    expect(await listVatRates(client, profile)).toEqual([]);
  });
});

describe("detectProfile", () => {
  it.each(["ut11", "bp30"] as const)(
    "recognises the %s base from its service document",
    async (base) => {
      const client = createTestClient(emulator, base, { log });

      expect(detectProfile(await client.listEntitySets())).toBe(base);
    },
  );

  it("recognises nothing when the key sets are not published", () => {
    expect(
      detectProfile(["Catalog_Контрагенты", "Catalog_Организации"]),
    ).toBeNull();
  });
});
