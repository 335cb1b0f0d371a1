import { defineTabularSection, enumProperty } from "./define-entity-set.js";
import type { PropertySpec } from "./define-entity-set.js";
import type { TabularSectionMeta } from "./types.js";

/** Enum ТипыКонтактнойИнформации (reference onec §2.2). */
export const CONTACT_INFORMATION_TYPES = [
  "Адрес",
  "Телефон",
  "АдресЭлектроннойПочты",
  "Skype",
  "ВебСтраница",
  "Факс",
  "Другое",
] as const;

const COLUMNS: PropertySpec[] = [
  enumProperty("Тип", CONTACT_INFORMATION_TYPES),
  ["Вид_Key", "Edm.Guid"],
  ["Представление", "Edm.String"],
  ["ЗначенияПолей", "Edm.String"],
  ["Значение", "Edm.String"],
  ["Страна", "Edm.String"],
  ["Регион", "Edm.String"],
  ["Город", "Edm.String"],
  ["АдресЭП", "Edm.String"],
  ["ДоменноеИмяСервера", "Edm.String"],
  ["НомерТелефона", "Edm.String"],
  ["НомерТелефонаБезКодов", "Edm.String"],
  ["ВидДляСписка_Key", "Edm.Guid"],
];

/** The row columns are the same in УТ 11.5 and БП 3.0; УТ 11 adds ДействуетС. */
export function contactInformationSection(
  profile: "ut11" | "bp30",
): TabularSectionMeta {
  const extra: PropertySpec[] =
    profile === "ut11" ? [["ДействуетС", "Edm.DateTime"]] : [];
  return defineTabularSection("КонтактнаяИнформация", [...COLUMNS, ...extra]);
}
