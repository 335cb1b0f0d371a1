import { render } from "@testing-library/preact";
import type { ComponentChildren } from "preact";

import { WidgetRoot } from "../../src/components/WidgetRoot.js";
import { createTranslator } from "../../src/i18n/create-translator.js";
import type { Language } from "../../src/i18n/create-translator.js";
import en from "../../src/i18n/en.json";
import ru from "../../src/i18n/ru.json";

/** Renders inside the widget root with the real UI strings of `lang`. */
export function renderInWidget(ui: ComponentChildren, lang: Language = "en") {
  const messages = lang === "en" ? en : ru;
  const translator = createTranslator({ lang, messages });
  return render(<WidgetRoot translator={translator}>{ui}</WidgetRoot>);
}
