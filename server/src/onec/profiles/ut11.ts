import { BSP_CONTACT_INFO, type OnecProfile } from "./types.js";

/**
 * 1C:Trade Management 11, ERP 2 and Complex Automation 2: a partner (the
 * business relationship) owns counterparties (legal entities) and contact
 * persons; the customer document is ЗаказКлиента (reference onec §2.1, §2.3–2.5).
 */
export const UT11_PROFILE: OnecProfile = {
  name: "ut11",
  title: "1С:Управление торговлей 11 / ERP / КА 2",
  detect: {
    present: ["Catalog_Партнеры", "Document_ЗаказКлиента"],
    absent: [],
  },
  contactInfo: BSP_CONTACT_INFO,
  contactKindSet: "Catalog_ВидыКонтактнойИнформации",
  organizationSet: "Catalog_Организации",
  partner: {
    entitySet: "Catalog_Партнеры",
    fields: {
      name: "Description",
      fullName: "НаименованиеПолное",
      comment: "Комментарий",
    },
    // Fill-checking wants at least one relationship flag (reference onec §2.3).
    constants: { Клиент: true },
    kinds: {
      legal: { ЮрФизЛицо: "Компания" },
      sole_proprietor: { ЮрФизЛицо: "Компания" },
      person: { ЮрФизЛицо: "ЧастноеЛицо" },
    },
  },
  counterparty: {
    entitySet: "Catalog_Контрагенты",
    readFilter: {},
    fields: {
      name: "Description",
      fullName: "НаименованиеПолное",
      inn: "ИНН",
      kpp: "КПП",
      marker: "ДополнительнаяИнформация",
      partner: "Партнер_Key",
    },
    kinds: {
      legal: { ЮрФизЛицо: "ЮрЛицо" },
      sole_proprietor: { ЮрФизЛицо: "ИндивидуальныйПредприниматель" },
      person: { ЮрФизЛицо: "ФизЛицо" },
    },
    contactKinds: { phone: "ТелефонКонтрагента", email: "EmailКонтрагента" },
  },
  contactPerson: {
    entitySet: "Catalog_КонтактныеЛицаПартнеров",
    owner: { of: "partner", field: "Owner_Key" },
    fields: { name: "Description" },
    constants: {},
    contactKinds: {
      phone: "ТелефонКонтактногоЛица",
      email: "EmailКонтактногоЛица",
    },
  },
  order: {
    entitySet: "Document_ЗаказКлиента",
    title: "заказ клиента",
    fields: {
      number: "Number",
      date: "Date",
      sum: "СуммаДокумента",
      comment: "Комментарий",
      counterparty: "Контрагент_Key",
      partner: "Партнер_Key",
      contactPerson: "КонтактноеЛицо_Key",
    },
    fromSettings: {
      organizationRef: { field: "Организация_Key", required: true },
      agreementRef: { field: "Соглашение_Key", required: false },
      warehouseRef: { field: "Склад_Key", required: false },
      currencyRef: { field: "Валюта_Key", required: false },
      businessOperation: { field: "ХозяйственнаяОперация", required: false },
    },
    // Saved for a manager to finish; posting is left to 1C users.
    constants: { Статус: "НеСогласован" },
    items: {
      section: "Товары",
      item: "Номенклатура_Key",
      itemType: null,
      sumColumns: ["Цена", "Сумма", "СуммаСНДС"],
      // СтавкаНДС is a catalog in 11.5 (reference onec §2.5).
      vatRate: "СтавкаНДС_Key",
      constants: {
        Количество: 1,
        КоличествоУпаковок: 1,
        ВариантОбеспечения: "Отгрузить",
      },
    },
  },
  lists: {
    organizations: { entitySet: "Catalog_Организации", filter: {} },
    agreements: { entitySet: "Catalog_СоглашенияСКлиентами", filter: {} },
    warehouses: { entitySet: "Catalog_Склады", filter: { IsFolder: false } },
    currencies: { entitySet: "Catalog_Валюты", filter: {} },
    items: { entitySet: "Catalog_Номенклатура", filter: { IsFolder: false } },
    vatRates: { entitySet: "Catalog_СтавкиНДС", filter: {} },
  },
};
