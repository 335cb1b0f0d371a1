import type {
  OnecProfileName,
  OnecSettings,
} from "../../../../shared/settings.js";
import type { CounterpartyKind } from "../gateway-types.js";

/** Values written as they are: enum value names, flags. */
export type FieldValues = Readonly<Record<string, string | boolean>>;

/**
 * The BSP tabular section holding phones and e-mails; its columns are the
 * same in UT 11 and BP 3.0 (reference onec §2.2).
 */
export interface ContactInfoLayout {
  section: string;
  columns: {
    type: string;
    kind: string;
    presentation: string;
    phone: string;
    email: string;
  };
  /**
   * НомерТелефонаБезКодов: the local number without country and area code,
   * searched as well (reference onec §6); null where the section lacks it.
   */
  localPhone: string | null;
  /** Values of the Тип enum. */
  types: { phone: string; email: string };
}

/** PredefinedDataName of the contact information kinds to write. */
export interface ContactInfoKinds {
  phone: string;
  email: string;
}

export interface PartnerProfile {
  entitySet: string;
  fields: { name: string; fullName: string; comment: string };
  /** Written on every create, such as Клиент = true. */
  constants: FieldValues;
  kinds: Record<CounterpartyKind, FieldValues>;
}

export interface CounterpartyProfile {
  entitySet: string;
  /** Conditions every read adds, such as skipping catalog folders. */
  readFilter: FieldValues;
  fields: {
    name: string;
    fullName: string;
    inn: string;
    kpp: string;
    /** Free-text field holding amo1c's marker. */
    marker: string;
    /** The partner reference (UT 11); null where there are no partners. */
    partner: string | null;
  };
  /** Fields that tell the kinds apart, written on create, matched on read. */
  kinds: Record<CounterpartyKind, FieldValues>;
  contactKinds: ContactInfoKinds;
}

/** Who owns a contact person and how the reference is written. */
export type ContactPersonOwner =
  | { of: "partner"; field: string }
  | {
      of: "counterparty";
      /** A composite field: value plus `_Type` (reference onec §1.4). */
      field: string;
      typeField: string;
      typeName: string;
      /** Entity set for cast(guid'…','…') in filters (reference onec §1.5). */
      entitySet: string;
    };

export interface ContactPersonProfile {
  entitySet: string;
  owner: ContactPersonOwner;
  fields: { name: string };
  constants: FieldValues;
  contactKinds: ContactInfoKinds;
}

export type OrderSettingKey = keyof Pick<
  OnecSettings,
  | "organizationRef"
  | "agreementRef"
  | "warehouseRef"
  | "currencyRef"
  | "businessOperation"
>;

export interface OrderSettingField {
  field: string;
  /** A create fails with a setup error when the setting is empty. */
  required: boolean;
}

/** Values written into a goods row as they are: flags, enums, quantities. */
export type RowValues = Readonly<Record<string, string | number | boolean>>;

/**
 * The goods section that carries the deal's sum as one row, because 1C
 * recomputes СуммаДокумента from it on write (reference onec §2.5, §2.6).
 */
export interface OrderItemsLayout {
  section: string;
  /** Column for the dealItemRef setting. */
  item: string;
  /** Set for a composite item column (reference onec §1.4). */
  itemType: { field: string; value: string } | null;
  /** Columns that receive the deal's sum: price, amount and the like. */
  sumColumns: string[];
  /** Column for the vatRateRef setting; null where rates are an enum. */
  vatRate: string | null;
  constants: RowValues;
}

export interface OrderProfile {
  entitySet: string;
  /** What users of this configuration call the document. */
  title: string;
  fields: {
    number: string;
    date: string;
    sum: string;
    comment: string;
    counterparty: string;
    partner: string | null;
    contactPerson: string | null;
  };
  /** Settings copied into every new document. */
  fromSettings: Partial<Record<OrderSettingKey, OrderSettingField>>;
  constants: FieldValues;
  items: OrderItemsLayout;
}

export interface ListSource {
  entitySet: string;
  filter: FieldValues;
}

/** How one configuration family stores amo1c's objects: data, not code. */
export interface OnecProfile {
  name: OnecProfileName;
  title: string;
  /** Entity sets that identify the family in the service document. */
  detect: { present: string[]; absent: string[] };
  contactInfo: ContactInfoLayout;
  contactKindSet: string;
  organizationSet: string;
  partner: PartnerProfile | null;
  counterparty: CounterpartyProfile;
  contactPerson: ContactPersonProfile;
  order: OrderProfile;
  lists: {
    organizations: ListSource;
    agreements: ListSource | null;
    warehouses: ListSource;
    currencies: ListSource;
    items: ListSource;
    /** VAT rates as a catalog; null where they are an enum. */
    vatRates: ListSource | null;
  };
}

/** BSP's contact information section as published by UT 11 and BP 3.0. */
export const BSP_CONTACT_INFO: ContactInfoLayout = {
  section: "КонтактнаяИнформация",
  columns: {
    type: "Тип",
    kind: "Вид_Key",
    presentation: "Представление",
    phone: "НомерТелефона",
    email: "АдресЭП",
  },
  // Present in both UT 11.5 and BP 3.0 (reference onec §2.2).
  localPhone: "НомерТелефонаБезКодов",
  types: { phone: "Телефон", email: "АдресЭлектроннойПочты" },
};
