import { createApiClient } from "../api/create-api-client.js";
import type { ApiClient } from "../api/create-api-client.js";
import { createTranslator } from "../i18n/create-translator.js";
import { createDealStore } from "../state/create-deal-store.js";
import { createSettingsStore } from "../state/create-settings-store.js";
import type {
  AmoWidgetHost,
  ElementSetLike,
  WidgetCallbacks,
} from "./amocrm-host.js";
import { createAjaxTransport } from "./create-ajax-transport.js";
import { linkStylesheet } from "./link-stylesheet.js";
import { mountDealPanel } from "./mount-deal-panel.js";
import { mountSettingsForm } from "./mount-settings-form.js";
import { readMessages } from "./read-messages.js";
import {
  readAccountHost,
  readDealCardId,
  readLanguage,
} from "./read-amocrm-page.js";

/** The callbacks amoCRM calls on the widget (reference amocrm §5.3). */
export function createCallbacks(host: AmoWidgetHost): WidgetCallbacks {
  // With init_once false amoCRM re-runs render on every area change, so a
  // mount is replaced rather than stacked.
  const unmounts = new Map<"panel" | "settings", () => void>();

  function replace(slot: "panel" | "settings", unmount: () => void): void {
    unmounts.get(slot)?.();
    unmounts.set(slot, unmount);
  }

  return {
    render() {
      const dealId = readDealCardId();
      const element = dealId === null ? null : placePanel(host);
      if (dealId === null || element === null) return true;

      linkStylesheet(host);
      const store = createDealStore({ api: createApi(host), dealId });
      const translator = createHostTranslator(host);
      replace("panel", mountDealPanel({ element, translator, store }));
      return true;
    },
    init: () => true,
    bind_actions: () => true,
    settings($modalBody) {
      const element = placeSettings($modalBody);
      if (element === null) return true;

      linkStylesheet(host);
      const store = createSettingsStore({
        api: createApi(host),
        accountHost: readAccountHost(host),
      });
      const translator = createHostTranslator(host);
      replace("settings", mountSettingsForm({ element, translator, store }));
      return true;
    },
    // amoCRM stores the backend URL itself; amo1c's own fields save on
    // their own button, so nothing blocks amoCRM's save.
    onSave: () => true,
    destroy() {
      for (const unmount of unmounts.values()) unmount();
      unmounts.clear();
    },
  };
}

function createHostTranslator(host: AmoWidgetHost) {
  return createTranslator({
    lang: readLanguage(host),
    messages: readMessages(host),
  });
}

function createApi(host: AmoWidgetHost): ApiClient {
  return createApiClient({
    baseUrl: host.get_settings().backend_url ?? "",
    transport: createAjaxTransport((options) => host.$authorizedAjax(options)),
  });
}

/** Puts an empty box into the right-hand panel of the card. */
function placePanel(host: AmoWidgetHost): Element | null {
  const id = `amo1c-panel-${host.params?.widget_code ?? "widget"}`;
  host.render_template({
    caption: { class_name: "amo1c-caption" },
    body: "",
    render: `<div id="${id}"></div>`,
  });
  return document.getElementById(id);
}

/** Adds a box for amo1c's fields under amoCRM's own settings fields. */
function placeSettings($modalBody: ElementSetLike | undefined): Element | null {
  const body = $modalBody?.[0];
  if (body === undefined) return null;

  const block = $modalBody?.find?.(".widget_settings_block")[0] ?? body;
  block.querySelector(":scope > .amo1c-settings-host")?.remove();
  const host = document.createElement("div");
  host.className = "amo1c-settings-host";
  block.appendChild(host);
  return host;
}
