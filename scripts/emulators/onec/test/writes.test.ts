import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startOnecEmulator } from "../start-onec-emulator.js";
import type { OnecEmulator } from "../start-onec-emulator.js";
import { callOdata, odataError, values } from "./helpers/odata-client.js";
import { UT11 } from "./helpers/seed-keys.js";

let emulator: OnecEmulator;

beforeAll(async () => {
  emulator = await startOnecEmulator({ port: 0 });
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.stop());

const post = (set: string, body: unknown) =>
  callOdata(emulator, "ut11", set, { method: "POST", body });

const patch = (set: string, ref: string, body: unknown) =>
  callOdata(emulator, "ut11", `${set}(guid'${ref}')`, {
    method: "PATCH",
    body,
  });

const orderBody = (extra: Record<string, unknown> = {}) => ({
  Партнер_Key: UT11.partnerSber,
  Контрагент_Key: UT11.counterpartySber,
  Организация_Key: UT11.organization,
  Соглашение_Key: UT11.agreement,
  Валюта_Key: UT11.rub,
  Статус: "НеСогласован",
  ХозяйственнаяОперация: "РеализацияКлиенту",
  ...extra,
});

const item = (line: number, sum: number) => ({
  LineNumber: String(line),
  Номенклатура_Key: UT11.product,
  Количество: 1,
  КоличествоУпаковок: 1,
  Цена: sum,
  Сумма: sum,
  СуммаСНДС: sum,
});

describe("1C OData writes", () => {
  it("creates a partner: 201, Location, Code and DataVersion", async () => {
    const result = await post("Catalog_Партнеры", {
      Description: "Ромашка",
      ЮрФизЛицо: "Компания",
      Клиент: true,
    });

    expect(result.status).toBe(201);
    expect(result.json).toMatchObject({
      Code: "00000000004",
      Description: "Ромашка",
      DeletionMark: false,
      ДатаРегистрации: "0001-01-01T00:00:00",
    });
    expect(result.headers.get("location")).toBe(
      `${emulator.odataUrl("ut11")}/${encodeURIComponent("Catalog_Партнеры")}(guid'${String(result.json.Ref_Key)}')`,
    );
    expect(result.json.DataVersion).toMatch(/^[A-Za-z0-9+/]{11}=$/);
  });

  it.each([
    ["an apostrophe", 'ООО "Ромашка" O\'Brien'],
    ["«ёлочки» and ё", "ООО «Ёлочка» ёжик"],
    ["emoji", "Цветы 🌸 и ко"],
    ["a plus and a percent", "A+B 100% 'x'"],
  ])(
    "round-trips a name with %s through POST and $filter eq",
    async (_, name) => {
      const created = await post("Catalog_Партнеры", { Description: name });
      const escaped = name.replace(/'/g, "''");
      const found = await callOdata(emulator, "ut11", "Catalog_Партнеры", {
        query: {
          $filter: `Description eq '${escaped}'`,
          $select: "Ref_Key,Description",
        },
      });

      expect(values(found)).toEqual([
        { Ref_Key: created.json.Ref_Key, Description: name },
      ]);
    },
  );

  it("uses a client Ref_Key and refuses a repeat with code 15", async () => {
    const ref = randomUUID();
    const first = await post("Catalog_Партнеры", {
      Ref_Key: ref,
      Description: "Один",
    });
    const repeat = await post("Catalog_Партнеры", {
      Ref_Key: ref,
      Description: "Два",
    });

    expect(first.json.Ref_Key).toBe(ref);
    expect([repeat.status, odataError(repeat)]).toEqual([
      400,
      { code: "15", message: "Сущность с таким ключом уже существует" },
    ]);
    expect(emulator.get("ut11", "Catalog_Партнеры", ref)?.Description).toBe(
      "Один",
    );
  });

  it("silently ignores a property that is not in the metadata", async () => {
    const result = await post(
      "Document_ЗаказКлиента",
      orderBody({ ЖелаемаяДатаОтгрузки: "2026-02-01T00:00:00" }),
    );

    expect(result.status).toBe(201);
    expect(result.json).not.toHaveProperty("ЖелаемаяДатаОтгрузки");
  });

  it("refuses a catalog without Description with code 5", async () => {
    const result = await post("Catalog_Контрагенты", { ИНН: "7701234567" });

    expect(result.status).toBe(400);
    expect(odataError(result)).toEqual({
      code: "5",
      message: 'Не указано значение обязательного свойства "Description"',
    });
  });

  it("refuses an enum value the configuration does not have with code 4", async () => {
    const result = await post("Catalog_Контрагенты", {
      Description: "X",
      ЮрФизЛицо: "Компания",
    });

    expect(odataError(result).code).toBe("4");
  });

  it("numbers documents and recomputes СуммаДокумента from the rows", async () => {
    const result = await post(
      "Document_ЗаказКлиента",
      orderBody({ СуммаДокумента: 1, Товары: [item(7, 100), item(9, 250.5)] }),
    );

    expect(result.json).toMatchObject({
      Number: "ТД00-000002",
      Posted: false,
      СуммаДокумента: 350.5,
    });
    expect(result.json.Date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(
      (result.json.Товары as { LineNumber: string }[]).map(
        (row) => row.LineNumber,
      ),
    ).toEqual(["1", "2"]);
  });

  it("ignores a header sum: an order without rows sums to 0", async () => {
    const result = await post(
      "Document_ЗаказКлиента",
      orderBody({ СуммаДокумента: 999 }),
    );
    const ref = String(result.json.Ref_Key);
    const patched = await patch("Document_ЗаказКлиента", ref, {
      СуммаДокумента: 500,
    });

    expect(result.json.СуммаДокумента).toBe(0);
    expect(patched.json.СуммаДокумента).toBe(0);
  });

  it("PATCH changes only the sent fields and replaces a tabular section whole", async () => {
    const created = await post(
      "Document_ЗаказКлиента",
      orderBody({ Комментарий: "было", Товары: [item(1, 100), item(2, 200)] }),
    );
    const ref = String(created.json.Ref_Key);
    const patched = await patch("Document_ЗаказКлиента", ref, {
      Товары: [item(1, 50)],
    });

    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      Комментарий: "было",
      СуммаДокумента: 50,
    });
    expect(patched.json.Товары).toHaveLength(1);
    expect(patched.json.DataVersion).not.toBe(created.json.DataVersion);
  });

  it("refuses a row without LineNumber with code -1", async () => {
    const result = await post(
      "Document_ЗаказКлиента",
      orderBody({ Товары: [{ Количество: 1 }] }),
    );

    expect([result.status, odataError(result).code]).toEqual([500, "-1"]);
  });

  it("answers PATCH and DELETE of an unknown key with code 9", async () => {
    const ref = randomUUID();
    const patched = await patch("Catalog_Партнеры", ref, { Description: "x" });
    const deleted = await callOdata(
      emulator,
      "ut11",
      `Catalog_Партнеры(guid'${ref}')`,
      { method: "DELETE" },
    );

    expect([patched.status, odataError(patched).code]).toEqual([404, "9"]);
    expect([deleted.status, odataError(deleted).code]).toEqual([404, "9"]);
  });

  it("DELETE removes the object physically", async () => {
    const result = await callOdata(
      emulator,
      "ut11",
      `Document_ЗаказКлиента(guid'${UT11.order}')`,
      {
        method: "DELETE",
      },
    );

    expect(result.status).toBe(204);
    expect(
      emulator.get("ut11", "Document_ЗаказКлиента", UT11.order),
    ).toBeUndefined();
  });

  it("refuses to create tabular rows directly with code 13", async () => {
    const result = await post("Document_ЗаказКлиента_Товары", item(1, 1));

    expect(odataError(result)).toEqual({
      code: "13",
      message: "Создание строк табличной части напрямую не поддерживается",
    });
  });

  it("posts and unposts a document", async () => {
    const created = await post(
      "Document_ЗаказКлиента",
      orderBody({ Товары: [item(1, 10)] }),
    );
    const ref = String(created.json.Ref_Key);
    const resource = `Document_ЗаказКлиента(guid'${ref}')`;

    const posted = await callOdata(emulator, "ut11", `${resource}/Post`, {
      method: "POST",
      query: { PostingModeOperational: "false" },
    });
    expect(posted.status).toBe(200);
    expect(emulator.get("ut11", "Document_ЗаказКлиента", ref)?.Posted).toBe(
      true,
    );

    await callOdata(emulator, "ut11", `${resource}/Unpost`, { method: "POST" });
    expect(emulator.get("ut11", "Document_ЗаказКлиента", ref)?.Posted).toBe(
      false,
    );
  });

  it("accepts Post() with the flag in the body, refuses Post on a catalog or unknown key", async () => {
    const created = await post(
      "Document_ЗаказКлиента",
      orderBody({ Товары: [item(1, 10)] }),
    );
    const ref = String(created.json.Ref_Key);
    const posted = await callOdata(
      emulator,
      "ut11",
      `Document_ЗаказКлиента(guid'${ref}')/Post()`,
      {
        method: "POST",
        body: { PostingModeOperational: false },
      },
    );
    const catalog = await callOdata(
      emulator,
      "ut11",
      `Catalog_Партнеры(guid'${UT11.partnerSber}')/Post`,
      { method: "POST" },
    );
    const unknown = await callOdata(
      emulator,
      "ut11",
      `Document_ЗаказКлиента(guid'${randomUUID()}')/Post`,
      { method: "POST" },
    );

    expect(posted.status).toBe(200);
    expect(emulator.get("ut11", "Document_ЗаказКлиента", ref)?.Posted).toBe(
      true,
    );
    expect(odataError(catalog).code).toBe("11");
    expect([unknown.status, odataError(unknown).code]).toEqual([404, "9"]);
  });

  it("refuses to post an order without rows with code -1", async () => {
    const created = await post("Document_ЗаказКлиента", orderBody());
    const result = await callOdata(
      emulator,
      "ut11",
      `Document_ЗаказКлиента(guid'${String(created.json.Ref_Key)}')/Post`,
      {
        method: "POST",
        query: { PostingModeOperational: "false" },
      },
    );

    expect([result.status, odataError(result)]).toEqual([
      500,
      { code: "-1", message: 'Не заполнен список "Товары"' },
    ]);
  });

  it("does not let the body set Posted", async () => {
    const result = await post(
      "Document_ЗаказКлиента",
      orderBody({ Posted: true }),
    );

    expect(result.json.Posted).toBe(false);
  });
});
