import type { ComponentChildren } from "preact";

import type { Translator } from "../i18n/create-translator.js";
import { I18nContext } from "../i18n/i18n-context.js";

export interface WidgetRootProps {
  translator: Translator;
  children: ComponentChildren;
}

/** The one element every amo1c style is scoped under (reference amocrm §5.1). */
export function WidgetRoot({ translator, children }: WidgetRootProps) {
  return (
    <I18nContext.Provider value={translator}>
      <div class="amo1c-widget" lang={translator.lang}>
        {children}
      </div>
    </I18nContext.Provider>
  );
}
