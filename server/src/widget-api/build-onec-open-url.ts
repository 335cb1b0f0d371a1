import type { OnecProfileName } from "../../../shared/settings.js";

/** The 1C metadata object names used in web-client navigation links. */
const OBJECT_NAMES: Record<
  OnecProfileName,
  { order: string; counterparty: string }
> = {
  ut11: { order: "Document.ЗаказКлиента", counterparty: "Catalog.Контрагенты" },
  bp30: {
    order: "Document.СчетНаОплатуПокупателю",
    counterparty: "Catalog.Контрагенты",
  },
};

/**
 * An "open in 1C" link: `<web client>#e1cib/data/<Object>?ref=<id>`. The
 * navigation id is the GUID's hex with its groups in the order 4-5-3-2-1,
 * which is how 1C prints references in navigation links.
 */
export function buildOnecOpenUrl(options: {
  webClientUrl: string;
  profile: OnecProfileName;
  object: "order" | "counterparty";
  ref: string;
}): string | null {
  const groups = options.ref.toLowerCase().split("-");
  if (options.webClientUrl === "" || groups.length !== 5) return null;

  const [a, b, c, d, e] = groups as [string, string, string, string, string];
  const navigationId = `${d}${e}${c}${b}${a}`;
  const base = options.webClientUrl.replace(/\/+$/, "");
  const objectName = OBJECT_NAMES[options.profile][options.object];
  return `${base}/#e1cib/data/${encodeURI(objectName)}?ref=${navigationId}`;
}
