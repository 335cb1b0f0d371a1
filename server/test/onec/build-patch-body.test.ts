import { describe, expect, it } from "vitest";

import { buildPatchBody } from "../../src/onec/build-patch-body.js";

const REF = "6c1e7a10-3f2b-11ee-8d4a-0050569f1a01";

describe("buildPatchBody", () => {
  const current = {
    Ref_Key: REF,
    Контрагент_Key: REF,
    КонтактноеЛицо_Key: "00000000-0000-0000-0000-000000000000",
    СуммаДокумента: 1500,
    Комментарий: "Сделка #1",
    Товары: [
      { Ref_Key: REF, LineNumber: "1", Номенклатура_Key: REF, Количество: 1 },
    ],
  };

  it("sends nothing when every value is unchanged", () => {
    expect(
      buildPatchBody(current, {
        Контрагент_Key: REF.toUpperCase(),
        КонтактноеЛицо_Key: "00000000-0000-0000-0000-000000000000",
        СуммаДокумента: 1500.001,
        Комментарий: "Сделка #1",
      }),
    ).toEqual({});
  });

  it("sends only the changed fields", () => {
    expect(
      buildPatchBody(current, {
        СуммаДокумента: 1600,
        Комментарий: "Сделка #1",
      }),
    ).toEqual({ СуммаДокумента: 1600 });
  });

  it("treats a change of letter case in text as a change", () => {
    expect(buildPatchBody(current, { Комментарий: "сделка #1" })).toEqual({
      Комментарий: "сделка #1",
    });
  });

  it("sends a changed tabular section whole, numbered 1..n", () => {
    const patch = buildPatchBody(current, {
      Товары: [
        { LineNumber: "7", Номенклатура_Key: REF, Количество: 1 },
        { Номенклатура_Key: REF, Количество: 2 },
      ],
    });

    expect(patch).toEqual({
      Товары: [
        { LineNumber: "1", Номенклатура_Key: REF, Количество: 1 },
        { LineNumber: "2", Номенклатура_Key: REF, Количество: 2 },
      ],
    });
  });

  it("leaves an unchanged tabular section out", () => {
    expect(
      buildPatchBody(current, {
        Товары: [{ Номенклатура_Key: REF, Количество: 1 }],
      }),
    ).toEqual({});
  });
});
