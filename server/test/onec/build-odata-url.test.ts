import { describe, expect, it } from "vitest";

import {
  and,
  anyRow,
  eq,
  or,
  substringof,
} from "../../src/onec/build-odata-filter.js";
import {
  buildOdataUrl,
  buildOdataUrls,
  MAX_QUERY_STRING_BYTES,
} from "../../src/onec/build-odata-url.js";
import {
  cast,
  dateTime,
  formatOdataLiteral,
  guid,
} from "../../src/onec/format-odata-literal.js";

const ROOT = "http://1c.example/УТ 11/odata/standard.odata/";
const REF = "6C1E7A10-3F2B-11EE-8D4A-0050569F1A01";

describe("formatOdataLiteral", () => {
  it.each([
    ["plain text", "Ромашка", "'Ромашка'"],
    ["an apostrophe", "O'Brien", "'O''Brien'"],
    ["two apostrophes", "''", "''''''"],
    ["quotes and «ёлочки»", 'ООО "Ромашка" «Ёж»', "'ООО \"Ромашка\" «Ёж»'"],
    ["emoji", "Цветы 🌸", "'Цветы 🌸'"],
    ["true", true, "true"],
    ["false", false, "false"],
    ["an integer", 42, "42"],
    ["a tiny decimal without exponent", 1e-7, "0.0000001"],
    ["a large number without exponent", 1e21, "1000000000000000000000"],
    ["a negative decimal", -12.5, "-12.5"],
    ["a guid (lower-cased)", guid(REF), `guid'${REF.toLowerCase()}'`],
    [
      "a datetime",
      dateTime("2026-01-15T10:00:00"),
      "datetime'2026-01-15T10:00:00'",
    ],
    [
      "a cast for composite fields",
      cast(REF, "Catalog_Контрагенты"),
      `cast(guid'${REF.toLowerCase()}', 'Catalog_Контрагенты')`,
    ],
  ] as const)("writes %s", (_name, value, expected) => {
    expect(formatOdataLiteral(value)).toBe(expected);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])("refuses %s", (value) => {
    expect(() => formatOdataLiteral(value)).toThrow(/cannot be sent to 1C/);
  });

  it("refuses a reference that is not a GUID", () => {
    expect(() => guid("1' or true")).toThrow(/not a 1C reference/);
  });

  it("refuses a date-time with a zone", () => {
    expect(() => dateTime("2026-01-15T10:00:00Z")).toThrow(/YYYY-MM-DDTHH/);
  });
});

describe("filter builders", () => {
  it("puts the substring first in substringof", () => {
    expect(substringof("amo1c", "Комментарий")).toBe(
      "substringof('amo1c', Комментарий)",
    );
  });

  it("parenthesises OR groups inside AND", () => {
    expect(and(eq("DeletionMark", false), or(eq("A", "1"), eq("B", "2")))).toBe(
      "DeletionMark eq false and (A eq '1' or B eq '2')",
    );
  });

  it("skips absent parts", () => {
    expect(and(eq("ИНН", "7701234567"), undefined)).toBe("ИНН eq '7701234567'");
  });

  it("writes a lambda over a tabular section", () => {
    expect(anyRow("КонтактнаяИнформация", "c", eq("c/АдресЭП", "a@b.ru"))).toBe(
      "КонтактнаяИнформация/any(c: c/АдресЭП eq 'a@b.ru')",
    );
  });
});

describe("buildOdataUrl", () => {
  it.each([
    [
      "the service root",
      {},
      {},
      "http://1c.example/%D0%A3%D0%A2%2011/odata/standard.odata?$format=json",
    ],
    [
      "a Cyrillic entity set",
      { entitySet: "Catalog_Контрагенты" },
      {},
      "http://1c.example/%D0%A3%D0%A2%2011/odata/standard.odata/Catalog_%D0%9A%D0%BE%D0%BD%D1%82%D1%80%D0%B0%D0%B3%D0%B5%D0%BD%D1%82%D1%8B?$format=json",
    ],
    [
      "an object by key",
      { entitySet: "Catalog_Валюты", key: REF },
      { json: false },
      `http://1c.example/%D0%A3%D0%A2%2011/odata/standard.odata/Catalog_%D0%92%D0%B0%D0%BB%D1%8E%D1%82%D1%8B(guid'${REF.toLowerCase()}')`,
    ],
    [
      "$metadata without $format",
      { path: ["$metadata"] },
      { json: false },
      "http://1c.example/%D0%A3%D0%A2%2011/odata/standard.odata/$metadata",
    ],
  ])("builds %s", (_name, resource, query, expected) => {
    expect(buildOdataUrl(ROOT, resource, query)).toBe(expected);
  });

  it("encodes spaces in a filter as %20, never +", () => {
    const url = buildOdataUrl(
      ROOT,
      { entitySet: "Catalog_X" },
      { filter: eq("Description", "a + b c") },
    );

    expect(url).toContain("$filter=Description%20eq%20'a%20%2B%20b%20c'");
    expect(url).not.toMatch(/\+/);
  });

  it("encodes a name with an apostrophe and emoji so it decodes back exactly", () => {
    const name = "O'Brien «Ёлка» & Co 🌲";
    const url = buildOdataUrl(
      ROOT,
      { entitySet: "Catalog_X" },
      { filter: eq("Description", name), select: ["Ref_Key", "Description"] },
    );
    const filter = new URL(url).search.split("&")[0]?.slice("?$filter=".length);

    expect(decodeURIComponent(filter ?? "")).toBe(
      "Description eq 'O''Brien «Ёлка» & Co 🌲'",
    );
    expect(url).toContain("$select=Ref_Key%2CDescription");
  });

  it("writes $top, $skip, $orderby and extra parameters", () => {
    const url = buildOdataUrl(
      ROOT,
      { entitySet: "Document_X", key: REF, path: ["Post"] },
      { params: { PostingModeOperational: "false" }, json: false },
    );

    expect(url).toMatch(
      /Document_X\(guid'[0-9a-f-]+'\)\/Post\?PostingModeOperational=false$/,
    );
    expect(
      buildOdataUrl(
        ROOT,
        { entitySet: "X" },
        { top: 5, skip: 10, orderby: "Ref_Key asc" },
      ),
    ).toMatch(/\?\$orderby=Ref_Key%20asc&\$top=5&\$skip=10&\$format=json$/);
  });
});

describe("buildOdataUrls", () => {
  const refs = Array.from(
    { length: 60 },
    (_, i) => `6c1e7a10-3f2b-11ee-8d4a-${String(i).padStart(12, "0")}`,
  );
  const query = {
    filter: eq("DeletionMark", false),
    anyOf: refs.map((ref) => eq("Ref_Key", guid(ref))),
    select: ["Ref_Key", "Description"],
  };

  it("keeps a short OR list in one request", () => {
    const urls = buildOdataUrls(
      ROOT,
      { entitySet: "Catalog_X" },
      {
        ...query,
        anyOf: query.anyOf.slice(0, 3),
      },
    );

    expect(urls).toHaveLength(1);
    expect(decodeURIComponent(urls[0] ?? "")).toContain(
      "DeletionMark eq false and (Ref_Key eq guid'",
    );
  });

  it("splits a long OR list so each query string stays within 1.5 KB", () => {
    const urls = buildOdataUrls(ROOT, { entitySet: "Catalog_X" }, query);

    expect(urls.length).toBeGreaterThan(1);
    for (const url of urls) {
      expect(url.length - url.indexOf("?") - 1).toBeLessThanOrEqual(
        MAX_QUERY_STRING_BYTES,
      );
      expect(decodeURIComponent(url)).toContain("DeletionMark eq false and ");
    }
    const sent = urls.flatMap((url) =>
      [...decodeURIComponent(url).matchAll(/guid'([^']+)'/g)].map((m) => m[1]),
    );
    expect(sent).toEqual(refs);
  });

  it("sends a single alternative longer than the budget on its own", () => {
    const long = eq("Description", "я".repeat(400));
    const urls = buildOdataUrls(
      ROOT,
      { entitySet: "Catalog_X" },
      {
        anyOf: [long, eq("Description", "b")],
      },
    );

    expect(urls).toHaveLength(2);
  });
});
