import { BSP_CONTACT_INFO, type OnecProfile } from "./types.js";

/**
 * 1C:Accounting 3.0: counterparties in a hierarchical catalog, contact
 * persons owned through a composite ОбъектВладелец, and the invoice to a
 * customer as the customer document (reference onec §2.1, §2.4, §2.6).
 */
export const BP30_PROFILE: OnecProfile = {
  name: "bp30",
  title: "1С:Бухгалтерия предприятия 3.0",
  detect: {
    present: ["Document_СчетНаОплатуПокупателю", "Catalog_КонтактныеЛица"],
    absent: ["Document_ЗаказКлиента"],
  },
  contactInfo: BSP_CONTACT_INFO,
  contactKindSet: "Catalog_ВидыКонтактнойИнформации",
  organizationSet: "Catalog_Организации",
  partner: null,
  counterparty: {
    entitySet: "Catalog_Контрагенты",
    readFilter: { IsFolder: false },
    fields: {
      name: "Description",
      fullName: "НаименованиеПолное",
      inn: "ИНН",
      kpp: "КПП",
      marker: "Комментарий",
      partner: null,
    },
    kinds: {
      legal: {
        ЮридическоеФизическоеЛицо: "ЮридическоеЛицо",
        ИндивидуальныйПредприниматель: false,
      },
      sole_proprietor: {
        ЮридическоеФизическоеЛицо: "ФизическоеЛицо",
        ИндивидуальныйПредприниматель: true,
      },
      person: {
        ЮридическоеФизическоеЛицо: "ФизическоеЛицо",
        ИндивидуальныйПредприниматель: false,
      },
    },
    contactKinds: { phone: "ТелефонКонтрагента", email: "EmailКонтрагенты" },
  },
  contactPerson: {
    entitySet: "Catalog_КонтактныеЛица",
    owner: {
      of: "counterparty",
      field: "ОбъектВладелец",
      typeField: "ОбъектВладелец_Type",
      typeName: "StandardODATA.Catalog_Контрагенты",
      entitySet: "Catalog_Контрагенты",
    },
    fields: { name: "Description" },
    // Derived from the owner only in interactive filling (reference onec §2.4).
    constants: { ВидКонтактногоЛица: "КонтактноеЛицоКонтрагента" },
    contactKinds: {
      phone: "ТелефонРабочийКонтактныеЛица",
      email: "EmailКонтактныеЛица",
    },
  },
  order: {
    entitySet: "Document_СчетНаОплатуПокупателю",
    title: "счет покупателю",
    fields: {
      number: "Number",
      date: "Date",
      sum: "СуммаДокумента",
      comment: "Комментарий",
      counterparty: "Контрагент_Key",
      partner: null,
      contactPerson: null,
    },
    fromSettings: {
      organizationRef: { field: "Организация_Key", required: true },
      warehouseRef: { field: "Склад_Key", required: false },
      currencyRef: { field: "ВалютаДокумента_Key", required: false },
    },
    constants: { ВидОперации: "ТоварыИУслуги" },
    items: {
      section: "Товары",
      item: "Номенклатура",
      itemType: {
        field: "Номенклатура_Type",
        value: "StandardODATA.Catalog_Номенклатура",
      },
      sumColumns: ["Цена", "Сумма"],
      vatRate: null,
      // СтавкаНДС is a required enum here (reference onec §2.6); without VAT
      // the row's Сумма is the whole document sum.
      constants: { Количество: 1, СтавкаНДС: "БезНДС" },
    },
  },
  lists: {
    organizations: { entitySet: "Catalog_Организации", filter: {} },
    agreements: null,
    warehouses: { entitySet: "Catalog_Склады", filter: { IsFolder: false } },
    currencies: { entitySet: "Catalog_Валюты", filter: {} },
    items: { entitySet: "Catalog_Номенклатура", filter: { IsFolder: false } },
    vatRates: null,
  },
};
