import type { AmoWidgetHost } from "./amocrm-host.js";

const LINK_ELEMENT_ID = "amo1c-widget-style";

/**
 * Adds the zip's style.css to amoCRM's page once. amoCRM serves the widget's
 * files under `params.path` but does not link the stylesheet itself.
 */
export function linkStylesheet(host: AmoWidgetHost): void {
  if (document.getElementById(LINK_ELEMENT_ID) !== null) return;

  const { path = "", version = "" } = host.params ?? {};
  const link = document.createElement("link");
  link.id = LINK_ELEMENT_ID;
  link.rel = "stylesheet";
  link.href = `${path}/style.css?v=${encodeURIComponent(version)}`;
  document.head.appendChild(link);
}
