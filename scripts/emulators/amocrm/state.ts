import type {
  AmocrmSeed,
  AmocrmState,
  CompanyRecord,
  ContactRecord,
  EntityTimes,
  LeadRecord,
  LinkView,
} from "./types.js";

const FIRST_GENERATED_ID = 100_000;

/** Builds fresh in-memory state from a seed (the seed itself is never mutated). */
export function createState(seed: AmocrmSeed, nowSec: number): AmocrmState {
  const copy = structuredClone(seed);
  const createdAt = copy.created_at ?? nowSec;
  const adminId = findAdminUserId(copy);
  const times = (): EntityTimes => ({
    created_at: createdAt,
    updated_at: createdAt,
    created_by: adminId,
    updated_by: adminId,
    is_deleted: false,
  });

  const contacts: ContactRecord[] = copy.contacts.map((c) => ({
    ...times(),
    id: c.id,
    name: c.name,
    first_name: c.first_name ?? "",
    last_name: c.last_name ?? "",
    responsible_user_id: c.responsible_user_id ?? adminId,
    company_id: c.company_id ?? null,
    custom_fields_values: emptyToNull(c.custom_fields_values),
  }));
  const companies: CompanyRecord[] = copy.companies.map((c) => ({
    ...times(),
    id: c.id,
    name: c.name,
    responsible_user_id: c.responsible_user_id ?? adminId,
    custom_fields_values: emptyToNull(c.custom_fields_values),
  }));
  const leads = copy.leads.map((l) => seedLead(copy, l, times()));

  return {
    seed: copy,
    leads,
    contacts,
    companies,
    notes: [],
    links: [],
    otherLinks: [],
    webhooks: [],
    events: [],
    nextId: Math.max(FIRST_GENERATED_ID, ...allIds(copy)) + 1,
  };
}

function seedLead(
  seed: AmocrmSeed,
  l: AmocrmSeed["leads"][number],
  times: EntityTimes,
): LeadRecord {
  const pipeline = seed.pipelines.find((p) => p.is_main) ?? seed.pipelines[0];
  return {
    ...times,
    id: l.id,
    name: l.name,
    price: l.price ?? 0,
    pipeline_id: l.pipeline_id ?? pipeline?.id ?? 0,
    status_id: l.status_id ?? pipeline?.statuses[0]?.id ?? 0,
    responsible_user_id: l.responsible_user_id ?? times.created_by,
    closed_at: null,
    custom_fields_values: emptyToNull(l.custom_fields_values),
    contacts: l.contacts ?? [],
    company_id: l.company_id ?? null,
  };
}

// amoCRM answers null, not [], for an entity without values (reference §3.5).
function emptyToNull<T>(values: T[] | null | undefined): T[] | null {
  return values && values.length > 0 ? values : null;
}

function allIds(seed: AmocrmSeed): number[] {
  return [
    ...seed.leads.map((e) => e.id),
    ...seed.contacts.map((e) => e.id),
    ...seed.companies.map((e) => e.id),
  ];
}

export function findAdminUserId(seed: AmocrmSeed): number {
  const admin = seed.users.find((u) => u.is_admin) ?? seed.users[0];
  return admin?.id ?? 0;
}

export function allocateId(state: AmocrmState): number {
  const id = state.nextId;
  state.nextId += 1;
  return id;
}

export function findLead(state: AmocrmState, id: number): LeadRecord | null {
  return state.leads.find((l) => l.id === id && !l.is_deleted) ?? null;
}

export function findContact(
  state: AmocrmState,
  id: number,
): ContactRecord | null {
  return state.contacts.find((c) => c.id === id && !c.is_deleted) ?? null;
}

export function findCompany(
  state: AmocrmState,
  id: number,
): CompanyRecord | null {
  return state.companies.find((c) => c.id === id && !c.is_deleted) ?? null;
}

/** Every link between entities, as GET …/links would list them. */
export function listLinks(state: AmocrmState): LinkView[] {
  const links: LinkView[] = [];
  for (const lead of state.leads) {
    for (const c of lead.contacts) {
      links.push({
        entity_id: lead.id,
        entity_type: "leads",
        to_entity_id: c.id,
        to_entity_type: "contacts",
        metadata: { main_contact: c.is_main },
      });
    }
    if (lead.company_id !== null) {
      links.push({
        entity_id: lead.id,
        entity_type: "leads",
        to_entity_id: lead.company_id,
        to_entity_type: "companies",
        metadata: null,
      });
    }
  }
  return [...links, ...state.otherLinks];
}

/** A JSON-safe copy of the state, with the derived link list filled in. */
export function dumpState(state: AmocrmState): AmocrmState {
  return structuredClone({ ...state, links: listLinks(state) });
}
