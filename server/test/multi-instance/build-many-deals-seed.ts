import {
  loadDefaultSeed,
  type AmocrmSeed,
  type CustomFieldValue,
  type SeedCompany,
  type SeedContact,
  type SeedLead,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";

export interface ManyDealsShape {
  /** Deals with a company; each company gets this many deals in turn. */
  companyDeals: number;
  companies: number;
  /** Deals with only a contact; contacts are shared in turn. */
  contactDeals: number;
  privateContacts: number;
}

export interface ManyDealsSeed {
  seed: AmocrmSeed;
  dealIds: number[];
  companyInns: string[];
  privateContactNames: string[];
}

const COMPANY_ID_BASE = 3_200_000;
const CONTACT_ID_BASE = 2_200_000;
const LEAD_ID_BASE = 1_200_000;
/** Seeded entities look old, so a reconciliation pass does not pick them up. */
const SEEDED_AT_SECONDS = 1_735_689_600;

/**
 * The emulator's account with many deals that share companies and
 * contacts, so that concurrent runs race to create the same counterparty.
 */
export function buildManyDealsSeed(shape: ManyDealsShape): ManyDealsSeed {
  const base = loadDefaultSeed();
  const fields = fieldIds(base);
  const companies = range(shape.companies).map((i) => company(i, fields));
  const companyContacts = range(shape.companies * 2).map((i) =>
    contact(i, `Сотрудник ${i + 1}`, fields, COMPANY_ID_BASE + (i >> 1)),
  );
  const privateContacts = range(shape.privateContacts).map((i) =>
    contact(shape.companies * 2 + i, `Частное лицо ${i + 1}`, fields, null),
  );

  const leads: SeedLead[] = [
    ...range(shape.companyDeals).map((i) => {
      const c = i % shape.companies;
      const person = companyContacts[c * 2 + (i % 2)] as SeedContact;
      return lead(i, COMPANY_ID_BASE + c, person.id);
    }),
    ...range(shape.contactDeals).map((i) => {
      const person = privateContacts[i % shape.privateContacts] as SeedContact;
      return lead(shape.companyDeals + i, null, person.id);
    }),
  ];

  return {
    seed: {
      ...base,
      created_at: SEEDED_AT_SECONDS,
      companies,
      contacts: [...companyContacts, ...privateContacts],
      leads,
    },
    dealIds: leads.map((l) => l.id),
    companyInns: companies.map((c) => innOf(c)),
    privateContactNames: privateContacts.map((c) => c.name),
  };
}

interface FieldIds {
  inn: number;
  phone: number;
}

function fieldIds(seed: AmocrmSeed): FieldIds {
  const phone = seed.custom_fields.contacts.find((f) => f.code === "PHONE");
  if (!seed.company_tax_fields || !phone)
    throw new Error("the default seed lost its INN or PHONE field");
  return { inn: seed.company_tax_fields.inn, phone: phone.id };
}

function company(i: number, fields: FieldIds): SeedCompany {
  return {
    id: COMPANY_ID_BASE + i,
    name: `ООО «Нагрузка ${i + 1}»`,
    custom_fields_values: [text(fields.inn, "ИНН", inn10(i))],
  };
}

function contact(
  i: number,
  name: string,
  fields: FieldIds,
  companyId: number | null,
): SeedContact {
  const phone = `+7 916 ${String(5_000_000 + i).replace(/(\d{3})(\d{2})(\d{2})$/, "$1-$2-$3")}`;
  return {
    id: CONTACT_ID_BASE + i,
    name,
    company_id: companyId,
    custom_fields_values: [
      {
        field_id: fields.phone,
        field_name: "Телефон",
        field_code: "PHONE",
        field_type: "multitext",
        values: [{ value: phone, enum_code: "MOB" }],
      },
    ],
  };
}

function lead(
  i: number,
  companyId: number | null,
  contactId: number,
): SeedLead {
  return {
    id: LEAD_ID_BASE + i,
    name: `Сделка под нагрузкой ${i + 1}`,
    price: 1000 + i,
    company_id: companyId,
    contacts: [{ id: contactId, is_main: true }],
  };
}

function text(fieldId: number, name: string, value: string): CustomFieldValue {
  return {
    field_id: fieldId,
    field_name: name,
    field_code: null,
    field_type: "text",
    values: [{ value }],
  };
}

/** A 10-digit INN with a correct check digit (FNS weights). */
function inn10(i: number): string {
  const body = `77${String(1_000_000 + i).slice(-7)}`;
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = weights.reduce((s, w, k) => s + w * Number(body[k]), 0);
  return `${body}${(sum % 11) % 10}`;
}

function innOf(c: SeedCompany): string {
  return String(c.custom_fields_values?.[0]?.values[0]?.value ?? "");
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
