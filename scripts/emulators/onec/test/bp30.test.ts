import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startOnecEmulator } from "../start-onec-emulator.js";
import type { OnecEmulator } from "../start-onec-emulator.js";
import { callOdata, odataError, values } from "./helpers/odata-client.js";
import { BP30 } from "./helpers/seed-keys.js";

let emulator: OnecEmulator;

beforeAll(async () => {
  emulator = await startOnecEmulator({
    port: 0,
    bases: [{ name: "buh", profile: "bp30" }],
  });
});
afterAll(() => emulator.stop());

const post = (set: string, body: unknown) =>
  callOdata(emulator, "buh", set, { method: "POST", body });

describe("БП 3.0 base", () => {
  it("keeps counterparties in folders and excludes folders by IsFolder", async () => {
    const result = await callOdata(emulator, "buh", "Catalog_Контрагенты", {
      query: {
        $filter: "IsFolder eq false and ИНН eq '7736207543'",
        $select: "Ref_Key,Parent_Key,Code",
      },
    });

    expect(values(result)).toEqual([
      {
        Ref_Key: BP30.counterpartyYandex,
        Parent_Key: "e527ac00-3f2b-11ee-8d4a-0050569f1b01",
        Code: "000000003",
      },
    ]);
  });

  it("creates a counterparty with a 9-digit code and the head counterparty set to itself", async () => {
    const result = await post("Catalog_Контрагенты", {
      Description: "Ромашка ООО",
      ИНН: "7701234567  ",
      ЮридическоеФизическоеЛицо: "ЮридическоеЛицо",
    });

    expect(result.json).toMatchObject({
      Code: "000000005",
      ИНН: "7701234567",
      ГоловнойКонтрагент_Key: result.json.Ref_Key,
    });
  });

  it("creates a contact person with a composite owner and builds Description from the name", async () => {
    const created = await post("Catalog_КонтактныеЛица", {
      ОбъектВладелец: BP30.counterpartyYandex,
      ОбъектВладелец_Type: "StandardODATA.Catalog_Контрагенты",
      Фамилия: "Смирнов",
      Имя: "Олег",
      ВидКонтактногоЛица: "КонтактноеЛицоКонтрагента",
    });
    const byOwner = await callOdata(emulator, "buh", "Catalog_КонтактныеЛица", {
      query: {
        $filter: `ОбъектВладелец eq cast(guid'${BP30.counterpartyYandex}', 'Catalog_Контрагенты')`,
        $select: "Description",
      },
    });

    expect(created.json.Description).toBe("Смирнов Олег");
    expect(values(byOwner)).toEqual([
      { Description: "Иванова Мария Сергеевна" },
      { Description: "Смирнов Олег" },
    ]);
  });

  it("sums an invoice from its rows, adding VAT when prices exclude it", async () => {
    const result = await post("Document_СчетНаОплатуПокупателю", {
      Организация_Key: BP30.organization,
      Контрагент_Key: BP30.counterpartyYandex,
      ВидОперации: "ТоварыИУслуги",
      СуммаВключаетНДС: false,
      Товары: [
        {
          LineNumber: "1",
          Содержание: "Услуги",
          Количество: 1,
          Цена: 1000,
          Сумма: 1000,
          СтавкаНДС: "НДС20",
          СуммаНДС: 200,
        },
      ],
    });

    expect(result.json).toMatchObject({
      Number: "0000-000002",
      СуммаДокумента: 1200,
    });
  });

  it("refuses a UT 11 enum value for the VAT rate with code 4", async () => {
    const result = await post("Document_СчетНаОплатуПокупателю", {
      Товары: [{ LineNumber: "1", СтавкаНДС: "20%" }],
    });

    expect(odataError(result).code).toBe("4");
  });

  it("finds the predefined e-mail kind by its БП name", async () => {
    const result = await callOdata(
      emulator,
      "buh",
      "Catalog_ВидыКонтактнойИнформации",
      {
        query: {
          $filter: "PredefinedDataName eq 'EmailКонтрагенты'",
          $select: "Тип,Predefined",
        },
      },
    );

    expect(values(result)).toEqual([
      { Predefined: true, Тип: "АдресЭлектроннойПочты" },
    ]);
  });
});
