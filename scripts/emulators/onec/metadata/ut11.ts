import {
  CONTACT_INFORMATION_TYPES,
  contactInformationSection,
} from "./contact-information.js";
import {
  defineCatalog,
  defineDocument,
  defineTabularSection,
  enumProperty,
} from "./define-entity-set.js";
import type { ProfileMeta } from "./types.js";

// Field names and enums: УТ 11.5.20 dump (reference onec §2.1–§2.5).
const contacts = contactInformationSection("ut11");

const organizations = defineCatalog({
  name: "Организации",
  properties: [
    ["НаименованиеПолное", "Edm.String"],
    ["ИНН", "Edm.String"],
    ["КПП", "Edm.String"],
    ["Префикс", "Edm.String"],
  ],
  tabularSections: [contacts],
});

const partners = defineCatalog({
  name: "Партнеры",
  hierarchical: true,
  codeLength: 11,
  properties: [
    ["НаименованиеПолное", "Edm.String"],
    ["Клиент", "Edm.Boolean"],
    ["Поставщик", "Edm.Boolean"],
    ["Конкурент", "Edm.Boolean"],
    ["ПрочиеОтношения", "Edm.Boolean"],
    enumProperty("ЮрФизЛицо", ["Компания", "ЧастноеЛицо"]),
    ["ОсновнойМенеджер_Key", "Edm.Guid"],
    ["ДатаРегистрации", "Edm.DateTime"],
    ["Комментарий", "Edm.String"],
  ],
  tabularSections: [contacts],
});

const counterparties = defineCatalog({
  name: "Контрагенты",
  codeLength: 0,
  properties: [
    ["НаименованиеПолное", "Edm.String"],
    ["ИНН", "Edm.String"],
    ["КПП", "Edm.String"],
    enumProperty("ЮрФизЛицо", [
      "ЮрЛицо",
      "ФизЛицо",
      "ИндивидуальныйПредприниматель",
      "ЮрЛицоНеРезидент",
    ]),
    enumProperty("ЮридическоеФизическоеЛицо", [
      "ЮридическоеЛицо",
      "ФизическоеЛицо",
    ]),
    ["Партнер_Key", "Edm.Guid"],
    ["ГоловнойКонтрагент_Key", "Edm.Guid"],
    ["КодПоОКПО", "Edm.String"],
    ["ДополнительнаяИнформация", "Edm.String"],
  ],
  tabularSections: [contacts],
});

const contactPersons = defineCatalog({
  name: "КонтактныеЛицаПартнеров",
  subordinate: true,
  properties: [
    ["ДолжностьПоВизитке", "Edm.String"],
    enumProperty("Пол", ["Мужской", "Женский"]),
    ["ДатаРождения", "Edm.DateTime"],
    ["Комментарий", "Edm.String"],
  ],
  tabularSections: [contacts],
});

const orderItems = defineTabularSection("Товары", [
  ["Номенклатура_Key", "Edm.Guid"],
  ["Характеристика_Key", "Edm.Guid"],
  ["Упаковка_Key", "Edm.Guid"],
  ["КоличествоУпаковок", "Edm.Double"],
  ["Количество", "Edm.Double"],
  ["ВидЦены_Key", "Edm.Guid"],
  ["Цена", "Edm.Double"],
  ["Сумма", "Edm.Double"],
  ["СтавкаНДС_Key", "Edm.Guid"],
  ["СуммаНДС", "Edm.Double"],
  ["СуммаСНДС", "Edm.Double"],
  ["ПроцентРучнойСкидки", "Edm.Double"],
  ["СуммаРучнойСкидки", "Edm.Double"],
  ["ДатаОтгрузки", "Edm.DateTime"],
  ["Склад_Key", "Edm.Guid"],
  enumProperty("ВариантОбеспечения", [
    "Отгрузить",
    "СоСклада",
    "КОбеспечению",
    "ОтгрузитьОбособленно",
    "Обособленно",
    "НеТребуется",
  ]),
  ["Отменено", "Edm.Boolean"],
  ["Содержание", "Edm.String"],
]);

const customerOrder = defineDocument({
  name: "ЗаказКлиента",
  numberPrefix: "ТД00-",
  properties: [
    ["Партнер_Key", "Edm.Guid"],
    ["Контрагент_Key", "Edm.Guid"],
    ["Организация_Key", "Edm.Guid"],
    ["Соглашение_Key", "Edm.Guid"],
    ["Договор_Key", "Edm.Guid"],
    ["Валюта_Key", "Edm.Guid"],
    ["Склад_Key", "Edm.Guid"],
    ["Менеджер_Key", "Edm.Guid"],
    enumProperty("Статус", [
      "НеСогласован",
      "КОбеспечению",
      "КОтгрузке",
      "Закрыт",
    ]),
    enumProperty("ХозяйственнаяОперация", [
      "РеализацияКлиенту",
      "ПередачаНаКомиссию",
      "РеализацияКлиентуРеглУчет",
    ]),
    enumProperty("НалогообложениеНДС", [
      "ПродажаОблагаетсяНДС",
      "ПродажаНеОблагаетсяНДС",
    ]),
    ["СкидкиРассчитаны", "Edm.Boolean"],
    ["ЦенаВключаетНДС", "Edm.Boolean"],
    ["ДатаОтгрузки", "Edm.DateTime"],
    ["КонтактноеЛицо_Key", "Edm.Guid"],
    ["Комментарий", "Edm.String"],
    ["НомерПоДаннымКлиента", "Edm.String"],
    ["СуммаДокумента", "Edm.Double"],
  ],
  tabularSections: [orderItems],
  postingRequired: [
    "Партнер_Key",
    "Контрагент_Key",
    "Организация_Key",
    "Соглашение_Key",
    "Валюта_Key",
    "Статус",
    "ХозяйственнаяОперация",
  ],
});

const agreements = defineCatalog({
  name: "СоглашенияСКлиентами",
  properties: [
    ["Партнер_Key", "Edm.Guid"],
    ["Организация_Key", "Edm.Guid"],
    ["Валюта_Key", "Edm.Guid"],
    enumProperty("Статус", ["НеСогласовано", "Действует", "Закрыто"]),
    ["Типовое", "Edm.Boolean"],
    ["ЦенаВключаетНДС", "Edm.Boolean"],
  ],
});

const warehouses = defineCatalog({ name: "Склады" });

const currencies = defineCatalog({
  name: "Валюты",
  codeLength: 3,
  properties: [["НаименованиеПолное", "Edm.String"]],
});

const contactKinds = defineCatalog({
  name: "ВидыКонтактнойИнформации",
  hierarchical: true,
  properties: [enumProperty("Тип", CONTACT_INFORMATION_TYPES)],
});

const products = defineCatalog({
  name: "Номенклатура",
  codeLength: 11,
  properties: [
    ["Артикул", "Edm.String"],
    ["НаименованиеПолное", "Edm.String"],
  ],
});

const vatRates = defineCatalog({
  name: "СтавкиНДС",
  properties: [["Ставка", "Edm.Double"]],
});

export const UT11_METADATA: ProfileMeta = {
  profile: "ut11",
  entitySets: [
    organizations,
    partners,
    counterparties,
    contactPersons,
    customerOrder,
    agreements,
    warehouses,
    currencies,
    contactKinds,
    products,
    vatRates,
  ],
};
