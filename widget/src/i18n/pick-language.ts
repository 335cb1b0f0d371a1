import type { Language } from "./create-translator.js";

/**
 * The UI language for amoCRM's interface language code: Russian for "ru"
 * and when unknown (amoCRM's home market), English for any other code.
 */
export function pickLanguage(code: string | undefined | null): Language {
  if (code === undefined || code === null || code === "") return "ru";
  return code.toLowerCase().startsWith("ru") ? "ru" : "en";
}
