import type { Language } from "../i18n/create-translator.js";
import { pickLanguage } from "../i18n/pick-language.js";
import type { AmoPageGlobal, AmoWidgetHost } from "./amocrm-host.js";

function pageGlobal(): AmoPageGlobal | undefined {
  const page = window as { APP?: AmoPageGlobal; AMOCRM?: AmoPageGlobal };
  return page.APP ?? page.AMOCRM;
}

/**
 * The id of the open deal card: 0 for a deal not saved yet, null when the
 * open card is not a deal (reference amocrm §5.3, APP.data.current_card).
 */
export function readDealCardId(): number | null {
  const page = pageGlobal();
  if (page?.getBaseEntity?.() !== "leads") return null;

  const id = Number(page.data?.current_card?.id ?? 0);
  return Number.isInteger(id) && id > 0 ? id : 0;
}

export function readLanguage(host: AmoWidgetHost): Language {
  return pickLanguage(host.system().lang ?? pageGlobal()?.lang_id);
}

/** The account host, such as acme.amocrm.ru, to prefill the settings. */
export function readAccountHost(host: AmoWidgetHost): string {
  return host.system().domain ?? window.location.hostname;
}
