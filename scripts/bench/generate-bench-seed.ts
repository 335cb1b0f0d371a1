import { loadDefaultSeed } from "../emulators/amocrm/start-amocrm-emulator.js";
import type {
  AmocrmSeed,
  CustomFieldDefinition,
  CustomFieldValue,
  SeedContact,
  SeedLead,
} from "../emulators/amocrm/types.js";

export const FIRST_BENCH_LEAD_ID = 5_000_001;
export const FIRST_BENCH_CONTACT_ID = 6_000_001;

export interface BenchSeed {
  seed: AmocrmSeed;
  dealIds: number[];
}

/**
 * The emulator's account (users, pipelines, fields) with its deals replaced
 * by `count` contact-only deals, each with a contact of its own that has a
 * phone and an e-mail 1C does not know: every first sync searches 1C, then
 * creates a counterparty, a contact person and an order.
 */
export function generateBenchSeed(count: number): BenchSeed {
  const base = loadDefaultSeed();
  const phoneField = fieldByCode(base, "PHONE");
  const emailField = fieldByCode(base, "EMAIL");
  const contacts: SeedContact[] = [];
  const leads: SeedLead[] = [];

  for (let i = 0; i < count; i++) {
    const contactId = FIRST_BENCH_CONTACT_ID + i;
    const number = String(i + 1).padStart(4, "0");
    contacts.push({
      id: contactId,
      name: `Покупатель Нагрузочный ${number}`,
      custom_fields_values: [
        multitext(phoneField, benchPhone(i)),
        multitext(emailField, `buyer${number}@bench.example`),
      ],
    });
    leads.push({
      id: FIRST_BENCH_LEAD_ID + i,
      name: `Заказ ${number}`,
      price: 1000 + i,
      contacts: [{ id: contactId, is_main: true }],
    });
  }

  const seed = { ...base, contacts, companies: [], leads };
  return { seed, dealIds: leads.map((l) => l.id) };
}

/** +7 955 NNN-NN-NN: a mobile range the bundled 1C seed does not use. */
function benchPhone(i: number): string {
  const digits = String(i).padStart(7, "0");
  return `+7 955 ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

function fieldByCode(seed: AmocrmSeed, code: string): CustomFieldDefinition {
  const field = seed.custom_fields.contacts.find((f) => f.code === code);
  if (!field) throw new Error(`the amoCRM seed has no contact field ${code}`);
  return field;
}

function multitext(
  field: CustomFieldDefinition,
  value: string,
): CustomFieldValue {
  const work = field.enums?.find((e) => e.value === "WORK");
  return {
    field_id: field.id,
    field_name: field.name,
    field_code: field.code,
    field_type: field.type,
    values: [
      { value, ...(work ? { enum_id: work.id, enum_code: work.value } : {}) },
    ],
  };
}
