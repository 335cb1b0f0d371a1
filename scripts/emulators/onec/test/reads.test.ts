import { Window } from "happy-dom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startOnecEmulator } from "../start-onec-emulator.js";
import type { OnecEmulator } from "../start-onec-emulator.js";
import {
  callOdata,
  callUrl,
  odataError,
  values,
} from "./helpers/odata-client.js";
import { UT11 } from "./helpers/seed-keys.js";

let emulator: OnecEmulator;

beforeAll(async () => {
  emulator = await startOnecEmulator({
    port: 0,
    published: { bp30: ["Catalog_Контрагенты", "Catalog_Валюты"] },
  });
});
afterAll(() => emulator.stop());

describe("1C OData reads", () => {
  it("answers a collection in JSON light with odata.metadata", async () => {
    const result = await callOdata(emulator, "ut11", "Catalog_Контрагенты", {
      query: {
        $filter: "ИНН eq '7707083893'",
        $select: "Ref_Key,Description,ИНН",
      },
    });

    expect(result.status).toBe(200);
    expect(result.json["odata.metadata"]).toBe(
      `${emulator.odataUrl("ut11")}/$metadata#Catalog_Контрагенты`,
    );
    expect(values(result)).toEqual([
      {
        Ref_Key: UT11.counterpartySber,
        Description: "Сбербанк ПАО",
        ИНН: "7707083893",
      },
    ]);
  });

  it("answers one entity with @Element, empty refs and dates", async () => {
    const result = await callOdata(
      emulator,
      "ut11",
      `Catalog_Партнеры(guid'${UT11.partnerSber}')`,
    );

    expect(result.json["odata.metadata"]).toMatch(
      /#Catalog_Партнеры\/@Element$/,
    );
    expect(result.json).toMatchObject({
      Description: "Сбербанк",
      Parent_Key: "00000000-0000-0000-0000-000000000000",
      ОсновнойМенеджер_Key: "00000000-0000-0000-0000-000000000000",
      DeletionMark: false,
      КонтактнаяИнформация: [],
    });
    expect(result.json.DataVersion).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it("sends tabular rows with the owner key and LineNumber as a string", async () => {
    const result = await callOdata(
      emulator,
      "ut11",
      `Document_ЗаказКлиента(guid'${UT11.order}')`,
    );
    const rows = result.json.Товары as Record<string, unknown>[];

    expect(rows[0]).toMatchObject({
      Ref_Key: UT11.order,
      LineNumber: "1",
      Количество: 10,
    });
  });

  it("leaves tabular sections out for $select=**", async () => {
    const result = await callOdata(emulator, "ut11", "Catalog_Контрагенты", {
      query: { $select: "**", $top: "1" },
    });
    const [first] = values(result);

    expect(first).toHaveProperty("ИНН");
    expect(first).not.toHaveProperty("КонтактнаяИнформация");
  });

  it("applies $skip before $top and sorts by $orderby", async () => {
    const result = await callOdata(emulator, "ut11", "Catalog_Контрагенты", {
      query: { $top: "1", $skip: "1", $orderby: "ИНН desc", $select: "ИНН" },
    });

    expect(values(result)).toEqual([{ ИНН: "7707083893" }]);
  });

  it("ignores $top and $skip when $inlinecount=allpages", async () => {
    const result = await callOdata(emulator, "ut11", "Catalog_Контрагенты", {
      query: {
        $top: "1",
        $skip: "1",
        $inlinecount: "allpages",
        $select: "Ref_Key",
      },
    });

    expect(result.json["odata.count"]).toBe("3");
    expect(values(result)).toHaveLength(3);
  });

  it("answers /$count with a bare number", async () => {
    const result = await callOdata(
      emulator,
      "ut11",
      "Catalog_Контрагенты/$count",
      {
        query: { $filter: "ЮрФизЛицо eq 'ЮрЛицо'" },
      },
    );

    expect(result.text).toBe("2");
  });

  it("finds a contact person by e-mail through a lambda", async () => {
    const result = await callOdata(
      emulator,
      "ut11",
      "Catalog_КонтактныеЛицаПартнеров",
      {
        query: {
          $filter:
            "КонтактнаяИнформация/any(d: d/АдресЭП eq 'm.ivanova@yandex-team.example')",
          $select: "Description,Owner_Key",
        },
      },
    );

    expect(values(result)).toEqual([
      { Owner_Key: UT11.partnerYandex, Description: "Иванова Мария Сергеевна" },
    ]);
  });

  it("reads a row set such as Catalog_X_КонтактнаяИнформация", async () => {
    const result = await callOdata(
      emulator,
      "ut11",
      "Catalog_КонтактныеЛицаПартнеров_КонтактнаяИнформация",
      {
        query: {
          $filter: "Тип eq 'Телефон'",
          $select: "Ref_Key,LineNumber,НомерТелефона",
        },
      },
    );

    expect(values(result)).toEqual([
      {
        Ref_Key: expect.any(String),
        LineNumber: "2",
        НомерТелефона: "79161234567",
      },
    ]);
  });

  it("refuses a + in $filter where a space was meant with code 14", async () => {
    const url = `${emulator.odataUrl("ut11")}/Catalog_Контрагенты?$format=json&$filter=ИНН+eq+'7707083893'`;
    const result = await callUrl(url);

    expect(result.status).toBe(400);
    expect(odataError(result).code).toBe("14");
  });

  it("answers an IIS HTML 404 when the query string exceeds 2048 bytes", async () => {
    const keys = Array.from(
      { length: 40 },
      () => `Ref_Key eq guid'${UT11.order}'`,
    );
    const result = await callOdata(emulator, "ut11", "Document_ЗаказКлиента", {
      query: { $filter: keys.join(" or ") },
    });

    expect(result.status).toBe(404);
    expect(result.headers.get("content-type")).toMatch(/^text\/html/);
    expect(result.text).toContain("404 - File or directory not found.");
  });

  it("answers Atom XML unless JSON is asked for", async () => {
    const atom = await callOdata(emulator, "ut11", "Catalog_Валюты", {
      raw: true,
    });
    const byHeader = await callOdata(emulator, "ut11", "Catalog_Валюты", {
      raw: true,
      accept: "application/json",
    });

    expect(atom.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    expect(atom.text).toContain("<d:Code>643</d:Code>");
    expect(byHeader.json.value).toHaveLength(1);
  });

  it("answers code 8 for an unknown or unpublished set", async () => {
    const unknown = await callOdata(emulator, "ut11", "Catalog_Нет");
    const unpublished = await callOdata(
      emulator,
      "bp30",
      "Catalog_КонтактныеЛица",
    );

    expect([unknown.status, odataError(unknown)]).toEqual([
      404,
      { code: "8", message: "Тип сущности не найден" },
    ]);
    expect(odataError(unpublished).code).toBe("8");
  });

  it("answers code 9 for an unknown key", async () => {
    const result = await callOdata(
      emulator,
      "ut11",
      "Catalog_Контрагенты(guid'00000000-0000-0000-0000-000000000001')",
    );

    expect([result.status, odataError(result)]).toEqual([
      404,
      { code: "9", message: "Экземпляр сущности не найден" },
    ]);
  });

  it("serves $metadata as CSDL XML listing the published sets", async () => {
    const result = await callOdata(emulator, "ut11", "$metadata", {
      raw: true,
    });
    const window = new Window();
    const xml = new window.DOMParser().parseFromString(
      result.text,
      "application/xml",
    );
    const sets = [...xml.getElementsByTagName("EntitySet")].map((node) =>
      node.getAttribute("Name"),
    );
    const posts = [...xml.getElementsByTagName("FunctionImport")].map((node) =>
      node.getAttribute("Name"),
    );

    expect(xml.getElementsByTagName("parsererror")).toHaveLength(0);
    expect(sets).toEqual(
      expect.arrayContaining([
        "Catalog_Партнеры",
        "Document_ЗаказКлиента",
        "Document_ЗаказКлиента_Товары",
      ]),
    );
    expect(posts).toEqual(["Post", "Unpost"]);
    expect(result.text).toContain('<Property Name="ИНН" Type="Edm.String"/>');

    const bp30 = await callOdata(emulator, "bp30", "$metadata", { raw: true });
    expect(bp30.text).not.toContain("Catalog_КонтактныеЛица");
  });

  it("lists the entity sets at the service root", async () => {
    const result = await callOdata(emulator, "bp30", "");

    expect(values(result).map((set) => set.name)).toEqual([
      "Catalog_Контрагенты",
      "Catalog_Контрагенты_КонтактнаяИнформация",
      "Catalog_Валюты",
    ]);
  });
});
