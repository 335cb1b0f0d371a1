import {
  CONTACT_INFORMATION_TYPES,
  contactInformationSection,
} from "./contact-information.js";
import {
  compositeProperty,
  defineCatalog,
  defineDocument,
  defineTabularSection,
  enumProperty,
} from "./define-entity-set.js";
import type { ProfileMeta } from "./types.js";

// Field names and enums: БП 3.0.198 dump (reference onec §2.1, §2.4, §2.6).
const contacts = contactInformationSection("bp30");

/** Enum СтавкиНДС of БП 3.0 (reference onec §2.6). */
const VAT_RATES = [
  "БезНДС",
  "НДС0",
  "НДС5",
  "НДС7",
  "НДС10",
  "НДС20",
  "НДС22",
  "НДС10_110",
  "НДС20_120",
] as const;

const organizations = defineCatalog({
  name: "Организации",
  properties: [
    ["НаименованиеПолное", "Edm.String"],
    ["ИНН", "Edm.String"],
    ["КПП", "Edm.String"],
    ["Префикс", "Edm.String"],
    ["ОсновнойБанковскийСчет_Key", "Edm.Guid"],
  ],
  tabularSections: [contacts],
});

const counterparties = defineCatalog({
  name: "Контрагенты",
  hierarchical: true,
  properties: [
    ["НаименованиеПолное", "Edm.String"],
    ["ИНН", "Edm.String"],
    ["КПП", "Edm.String"],
    enumProperty("ЮридическоеФизическоеЛицо", [
      "ЮридическоеЛицо",
      "ФизическоеЛицо",
    ]),
    ["ИндивидуальныйПредприниматель", "Edm.Boolean"],
    ["ГоловнойКонтрагент_Key", "Edm.Guid"],
    ["ОсновноеКонтактноеЛицо_Key", "Edm.Guid"],
    ["КодПоОКПО", "Edm.String"],
    ["Комментарий", "Edm.String"],
    ["ДатаСоздания", "Edm.DateTime"],
  ],
  tabularSections: [contacts],
});

const contactPersons = defineCatalog({
  name: "КонтактныеЛица",
  required: [],
  properties: [
    ...compositeProperty("ОбъектВладелец"),
    ["Фамилия", "Edm.String"],
    ["Имя", "Edm.String"],
    ["Отчество", "Edm.String"],
    ["Должность", "Edm.String"],
    ["ДатаРождения", "Edm.DateTime"],
    ["Описание", "Edm.String"],
    enumProperty("ВидКонтактногоЛица", [
      "КонтактноеЛицоКонтрагента",
      "ПрочееКонтактноеЛицо",
      "ЛичныйКонтакт",
    ]),
  ],
  tabularSections: [contacts],
});

const invoiceItems = defineTabularSection("Товары", [
  ...compositeProperty("Номенклатура"),
  ["Содержание", "Edm.String"],
  ["Количество", "Edm.Double"],
  ["Цена", "Edm.Double"],
  ["Сумма", "Edm.Double"],
  ["ПроцентСкидки", "Edm.Double"],
  enumProperty("СтавкаНДС", VAT_RATES),
  ["СуммаНДС", "Edm.Double"],
]);

const customerInvoice = defineDocument({
  name: "СчетНаОплатуПокупателю",
  numberPrefix: "0000-",
  properties: [
    ["Организация_Key", "Edm.Guid"],
    ["Контрагент_Key", "Edm.Guid"],
    ["ДоговорКонтрагента_Key", "Edm.Guid"],
    ["ВалютаДокумента_Key", "Edm.Guid"],
    ["СуммаВключаетНДС", "Edm.Boolean"],
    ["СуммаДокумента", "Edm.Double"],
    ["Склад_Key", "Edm.Guid"],
    enumProperty("ВидОперации", ["ТоварыИУслуги", "ОсновныеСредства"]),
    ["СтруктурнаяЕдиница_Key", "Edm.Guid"],
    ["ОрганизацияПолучатель_Key", "Edm.Guid"],
    ["Комментарий", "Edm.String"],
    ["АдресДоставки", "Edm.String"],
  ],
  tabularSections: [invoiceItems],
  postingRequired: ["Организация_Key", "Контрагент_Key", "ВидОперации"],
});

const contactKinds = defineCatalog({
  name: "ВидыКонтактнойИнформации",
  hierarchical: true,
  properties: [enumProperty("Тип", CONTACT_INFORMATION_TYPES)],
});

const currencies = defineCatalog({
  name: "Валюты",
  codeLength: 3,
  properties: [["НаименованиеПолное", "Edm.String"]],
});

const products = defineCatalog({
  name: "Номенклатура",
  hierarchical: true,
  codeLength: 11,
  properties: [
    ["Артикул", "Edm.String"],
    ["НаименованиеПолное", "Edm.String"],
    enumProperty("СтавкаНДС", VAT_RATES),
  ],
});

export const BP30_METADATA: ProfileMeta = {
  profile: "bp30",
  entitySets: [
    organizations,
    counterparties,
    contactPersons,
    customerInvoice,
    contactKinds,
    currencies,
    products,
  ],
};
