import { createContext } from "preact";
import { useContext } from "preact/hooks";

import { createTranslator } from "./create-translator.js";
import type { Translator } from "./create-translator.js";

/** Without a provider, keys show as themselves: a wiring bug is visible. */
export const I18nContext = createContext<Translator>(
  createTranslator({ lang: "ru", messages: {} }),
);

export function useTranslator(): Translator {
  return useContext(I18nContext);
}
