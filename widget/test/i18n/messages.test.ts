import { describe, expect, it } from "vitest";

import { createTranslator } from "../../src/i18n/create-translator.js";
import en from "../../src/i18n/en.json";
import { pickLanguage } from "../../src/i18n/pick-language.js";
import ru from "../../src/i18n/ru.json";

function keysOf(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" && value !== null
      ? keysOf(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe("UI strings", () => {
  it("has the same keys in Russian and English", () => {
    expect(keysOf(ru).sort()).toEqual(keysOf(en).sort());
  });

  it("keeps the same placeholders in both languages", () => {
    const placeholders = (text: string) =>
      (text.match(/\{\w+\}/g) ?? []).sort();
    const ruTranslator = createTranslator({ lang: "ru", messages: ru });
    for (const key of keysOf(en)) {
      const english = createTranslator({ lang: "en", messages: en }).t(
        key as never,
      );
      expect(placeholders(ruTranslator.t(key as never)), key).toEqual(
        placeholders(english),
      );
    }
  });

  it("fills placeholders and shows the key of a missing string", () => {
    const { t } = createTranslator({ lang: "en", messages: en });

    expect(t("panel.order_title", { number: "A-1", date: "1 May 2031" })).toBe(
      "No. A-1 of 1 May 2031",
    );
    expect(
      createTranslator({ lang: "en", messages: {} }).t("sync.button"),
    ).toBe("sync.button");
  });

  it("picks Russian for ru and unknown languages, English for the rest", () => {
    expect(pickLanguage("ru")).toBe("ru");
    expect(pickLanguage(undefined)).toBe("ru");
    expect(pickLanguage("en")).toBe("en");
    expect(pickLanguage("es")).toBe("en");
  });
});
