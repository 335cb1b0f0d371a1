import { render } from "preact";

import { DealPanel } from "../components/DealPanel.js";
import { WidgetRoot } from "../components/WidgetRoot.js";
import type { Translator } from "../i18n/create-translator.js";
import type { DealStore } from "../state/create-deal-store.js";
import { DealStoreContext } from "../state/store-context.js";

export interface MountDealPanelOptions {
  element: Element;
  translator: Translator;
  store: DealStore;
}

/** Renders the deal panel, starts loading; returns the unmount function. */
export function mountDealPanel(options: MountDealPanelOptions): () => void {
  const { element, translator, store } = options;
  render(
    <WidgetRoot translator={translator}>
      <DealStoreContext.Provider value={store}>
        <DealPanel />
      </DealStoreContext.Provider>
    </WidgetRoot>,
    element,
  );
  void store.load();

  return () => {
    store.dispose();
    render(null, element);
  };
}
