import { screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";

import type {
  AmoWidgetHost,
  AuthorizedAjaxOptions,
  DeferredLike,
  RenderTemplateOptions,
  WidgetCallbacks,
} from "../../src/entry/amocrm-host.js";
import Amo1cWidget from "../../src/entry/script.js";
import en from "../../src/i18n/en.json";
import { syncedDeal } from "../fixtures/deal-views.js";
import { oauthSettings } from "../fixtures/settings-views.js";

type Instance = AmoWidgetHost & { callbacks: WidgetCallbacks };

/** The widget object as amoCRM builds it: its methods on the prototype. */
function createWidget(answers: Record<string, unknown>) {
  const requests: AuthorizedAjaxOptions[] = [];
  const host: AmoWidgetHost = {
    params: { widget_code: "amo1c", path: "/widgets/amo1c", version: "0.1.0" },
    get_settings: () => ({ backend_url: "https://amo1c.example.com" }),
    system: () => ({ lang: "en", domain: "acme.amocrm.ru" }),
    i18n: (group) => (en as Record<string, unknown>)[group],
    render_template(options: RenderTemplateOptions) {
      document.querySelector("#card-panel")!.innerHTML = options.render;
    },
    $authorizedAjax(options) {
      requests.push(options);
      const path = new URL(options.url).pathname;
      const deferred: DeferredLike = {
        done: (callback) => {
          callback(answers[path], "success", { status: 200 });
          return deferred;
        },
        fail: () => deferred,
      };
      return deferred;
    },
  };
  const Constructor = Amo1cWidget as unknown as new () => Instance;
  Object.assign(Constructor.prototype, host);
  return { widget: new Constructor(), requests };
}

function openLeadCard(id: number): void {
  Object.assign(window, {
    APP: { data: { current_card: { id } }, getBaseEntity: () => "leads" },
  });
  document.body.innerHTML = '<div id="card-panel"></div><div id="modal"></div>';
}

afterEach(() => {
  Reflect.deleteProperty(window, "APP");
  document.head.innerHTML = "";
});

describe("the amoCRM widget entry", () => {
  it("has every callback amoCRM calls, and the ones that must say true do", () => {
    const { widget } = createWidget({});

    expect(Object.keys(widget.callbacks).sort()).toEqual(
      [
        "bind_actions",
        "destroy",
        "init",
        "onSave",
        "render",
        "settings",
      ].sort(),
    );
    expect(widget.callbacks.bind_actions()).toBe(true);
    expect(widget.callbacks.onSave()).toBe(true);
  });

  it("renders the deal panel into the card's right-hand panel and unmounts it on destroy", async () => {
    openLeadCard(4242);
    const { widget, requests } = createWidget({
      "/api/v1/deals/4242": syncedDeal(),
    });

    expect(widget.callbacks.render()).toBe(true);
    await screen.findByText("ООО «Ромашка»");
    expect(requests[0]?.url).toBe(
      "https://amo1c.example.com/api/v1/deals/4242",
    );
    expect(
      document.querySelector<HTMLLinkElement>("#amo1c-widget-style")?.href,
    ).toContain("/widgets/amo1c/style.css?v=0.1.0");

    widget.callbacks.destroy();
    expect(document.querySelector(".amo1c-widget")).toBeNull();
  });

  it("stays out of cards that are not deals", () => {
    openLeadCard(7);
    Object.assign(window, { APP: { getBaseEntity: () => "contacts" } });
    const { widget, requests } = createWidget({});

    expect(widget.callbacks.render()).toBe(true);
    expect(document.querySelector(".amo1c-widget")).toBeNull();
    expect(requests).toHaveLength(0);
  });

  it("mounts the settings page under amoCRM's own settings fields", async () => {
    openLeadCard(0);
    const { widget } = createWidget({
      "/api/v1/settings": oauthSettings(),
      "/api/v1/settings/onec/lists": {
        organizations: [],
        agreements: [],
        warehouses: [],
        items: [],
        vatRates: [],
      },
    });
    const modal = document.querySelector("#modal")!;
    modal.innerHTML = '<div class="widget_settings_block"></div>';
    const $modalBody = Object.assign([modal], {
      find: (selector: string) => Array.from(modal.querySelectorAll(selector)),
    });

    expect(widget.callbacks.settings($modalBody)).toBe(true);

    await screen.findByText("amo1c settings");
    await waitFor(() =>
      expect(
        modal.querySelector(".widget_settings_block .amo1c-widget"),
      ).not.toBeNull(),
    );
  });
});
