import type { CheckStep } from "../../../shared/check-result.js";
import { formatNaiveDate } from "../format/format-naive-date.js";
import type { MessageKey, Translator } from "./create-translator.js";

/**
 * A Check step's title in the user's language, looked up by the wording's
 * key (check.step_<key>). A wording this widget does not know, from a newer
 * server or an error quoted as it came, shows as the server's English.
 */
export function translateStepTitle(
  step: CheckStep,
  { t, locale }: Translator,
): string {
  if (step.titleKey === undefined) return step.title;

  const key = `check.step_${step.titleKey}` as MessageKey;
  const text = t(key, localiseParams(step.titleParams ?? {}, locale));
  // A missing string comes back as its key; an unfilled {name} means the
  // server renamed a value: either way its own text is the better one.
  return text === key || /\{\w+\}/.test(text) ? step.title : text;
}

/** The server sends dates as YYYY-MM-DD; the user reads them in their locale. */
function localiseParams(
  params: Record<string, string>,
  locale: string,
): Record<string, string> {
  const { date } = params;
  return date === undefined
    ? params
    : { ...params, date: formatNaiveDate(date, locale) };
}
