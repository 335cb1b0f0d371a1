import { describe, expect, it } from "vitest";

import { OdataError } from "../errors.js";
import { compileFilter } from "../filter/compile-filter.js";
import { parseFilter } from "../filter/parse-filter.js";
import { BP30_METADATA } from "../metadata/bp30.js";
import type { EntitySetMeta } from "../metadata/types.js";
import { UT11_METADATA } from "../metadata/ut11.js";
import { emptyEntity } from "../metadata/wire-values.js";
import type { Entity } from "../types.js";

const setMeta = (sets: EntitySetMeta[], name: string): EntitySetMeta => {
  const meta = sets.find((set) => set.name === name);
  if (!meta) throw new Error(`no set ${name}`);
  return meta;
};
const counterparties = setMeta(UT11_METADATA.entitySets, "Catalog_Контрагенты");
const orders = setMeta(UT11_METADATA.entitySets, "Document_ЗаказКлиента");
const contacts = setMeta(BP30_METADATA.entitySets, "Catalog_КонтактныеЛица");

const REF_A = "11111111-2222-4333-8444-555555555555";
const OWNER = "6daf2b46-3f2b-11ee-8d4a-0050569f1a01";

const entity = (meta: EntitySetMeta, fields: Entity): Entity => ({
  ...emptyEntity(meta),
  ...fields,
});

const romashka = entity(counterparties, {
  Ref_Key: REF_A,
  Description: "Ромашка O'Brien",
  ИНН: "7707083893",
  КПП: "770101001",
  ЮрФизЛицо: "ЮрЛицо",
  КонтактнаяИнформация: [
    {
      Ref_Key: REF_A,
      LineNumber: "1",
      Тип: "АдресЭлектроннойПочты",
      АдресЭП: "a@b.ru",
    },
  ],
});

const matches = (
  meta: EntitySetMeta,
  filter: string,
  subject: Entity,
): boolean => compileFilter(filter, meta)(subject);

const parseCode = (filter: string, meta = counterparties): string => {
  try {
    compileFilter(filter, meta);
  } catch (error) {
    if (error instanceof OdataError) return error.code;
    throw error;
  }
  return "parsed";
};

describe("$filter parser", () => {
  it.each([
    ["ИНН eq '7707083893'", true],
    ["ИНН ne '7707083893'", false],
    ["Description eq 'Ромашка O''Brien'", true],
    ["Ref_Key eq guid'11111111-2222-4333-8444-555555555555'", true],
    ["Ref_Key eq guid'11111111-2222-4333-8444-555555555556'", false],
    ["DeletionMark eq false and ИНН eq '7707083893'", true],
    ["ИНН eq 'x' or ИНН eq '7707083893' and КПП eq 'нет'", false],
    ["(ИНН eq 'x' or ИНН eq '7707083893') and КПП eq '770101001'", true],
    ["not ИНН eq 'x' and not DeletionMark", true],
    ["not (ИНН eq '7707083893' or DeletionMark)", false],
    ["substringof('Brien', Description)", true],
    ["substringof(Description, 'Brien')", false],
    ["startswith(Description, 'Ром') and endswith(ИНН, '893')", true],
    ["like(Description, 'Ром%O_Brien')", true],
    ["КонтактнаяИнформация/any(d: d/АдресЭП eq 'a@b.ru')", true],
    ["КонтактнаяИнформация/any(d: d/АдресЭП eq 'c@d.ru')", false],
    ["КонтактнаяИнформация/all(d: d/Тип eq 'АдресЭлектроннойПочты')", true],
    ["КонтактнаяИнформация/any()", true],
    ["ИНН gt '7700000000' and ИНН le '7707083893'", true],
  ])("%s → %s", (filter, expected) => {
    expect(matches(counterparties, filter, romashka)).toBe(expected);
  });

  it("compares dates and numbers with arithmetic", () => {
    const order = entity(orders, {
      Date: "2026-01-15T10:00:00",
      СуммаДокумента: 1200,
    });
    expect(
      matches(orders, "Date ge datetime'2026-01-15T00:00:00'", order),
    ).toBe(true);
    expect(matches(orders, "Date lt datetime'2026-01-15T10:00'", order)).toBe(
      false,
    );
    expect(matches(orders, "СуммаДокумента sub 200 eq 1000", order)).toBe(true);
    expect(
      matches(orders, "СуммаДокумента gt 1000.5 and year(Date) eq 2026", order),
    ).toBe(true);
  });

  it("matches a composite field only through cast", () => {
    const person = entity(contacts, {
      ОбъектВладелец: OWNER,
      ОбъектВладелец_Type: "StandardODATA.Catalog_Контрагенты",
    });
    expect(matches(contacts, `ОбъектВладелец eq guid'${OWNER}'`, person)).toBe(
      false,
    );
    expect(
      matches(
        contacts,
        `ОбъектВладелец eq cast(guid'${OWNER}', 'Catalog_Контрагенты')`,
        person,
      ),
    ).toBe(true);
  });

  it.each([
    ["ИНН+eq+'7707083893'", "14"],
    ["Ref_Key in (guid'11111111-2222-4333-8444-555555555555')", "14"],
    ["СуммаДокумента gt 1e-7", "14"],
    ["Неизвестное eq 'x'", "14"],
    ["tolower(Description) eq 'x'", "14"],
    ["ИНН eq '7707083893", "14"],
    ["ИНН eq", "14"],
    ["Ref_Key eq guid'not-a-guid'", "14"],
    ["КонтактнаяИнформация/any(d: d/Нет eq 1)", "14"],
    ["Партнер/Description eq 'x'", "14"],
    ["substringof('x')", "21"],
  ])("refuses %s with code %s", (filter, code) => {
    const meta = filter.startsWith("СуммаДокумента") ? orders : counterparties;
    expect(parseCode(filter, meta)).toBe(code);
  });

  it("binds and tighter than or, not tighter than and", () => {
    expect(parseFilter("A eq 1 or B eq 2 and C eq 3")).toMatchObject({
      op: "or",
      right: { op: "and" },
    });
    expect(parseFilter("not A eq 1 and B")).toMatchObject({
      op: "and",
      left: { kind: "not", operand: { op: "eq" } },
    });
  });
});
