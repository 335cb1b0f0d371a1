import { render } from "preact";

import { SettingsForm } from "../components/SettingsForm.js";
import { WidgetRoot } from "../components/WidgetRoot.js";
import type { Translator } from "../i18n/create-translator.js";
import type { SettingsStore } from "../state/create-settings-store.js";
import { SettingsStoreContext } from "../state/store-context.js";

export interface MountSettingsFormOptions {
  element: Element;
  translator: Translator;
  store: SettingsStore;
}

/** Renders the settings page, starts loading; returns the unmount function. */
export function mountSettingsForm(
  options: MountSettingsFormOptions,
): () => void {
  const { element, translator, store } = options;
  render(
    <WidgetRoot translator={translator}>
      <SettingsStoreContext.Provider value={store}>
        <SettingsForm />
      </SettingsStoreContext.Provider>
    </WidgetRoot>,
    element,
  );
  void store.load();

  return () => render(null, element);
}
