import type { AmoContact, AmoLead } from "../amocrm/api-types.js";
import type {
  ContactPersonRecord,
  CounterpartyRecord,
  OrderRecord,
} from "../onec/gateway-types.js";
import { decideCompanyBacklink } from "./decide-company-backlink.js";
import {
  decideCounterpartySource,
  orderContactsMainFirst,
  type DealSnapshot,
} from "./decide-counterparty-source.js";
import type { DealStatePatch } from "./deal-state-repository.js";
import { resolveContactPerson } from "./resolve-contact-person.js";
import {
  resolveCounterparty,
  type ResolvedCounterparty,
} from "./resolve-counterparty.js";
import type { SyncContext } from "./sync-context.js";
import { syncOrder } from "./sync-order.js";

export type SyncResult =
  | { kind: "synced"; patch: DealStatePatch }
  | { kind: "skipped"; reason: string; patch: DealStatePatch };

/**
 * One run for one deal: read amoCRM, resolve the counterparty and contact
 * persons in 1C, write the order, and return the state to record. Throws
 * AppError on any failure; the caller records it.
 */
export async function syncDeal(
  ctx: SyncContext,
  dealId: number,
): Promise<SyncResult> {
  const deal = await readDeal(ctx, dealId);
  const source = decideCounterpartySource(deal, ctx.settings);
  if (source.kind === "none") return skipped(source.reason, deal.lead);

  const resolution = await resolveCounterparty(ctx, source);
  if (resolution.kind === "none") return skipped(resolution.reason, deal.lead);

  const lead = deal.lead as AmoLead;
  const { counterparty } = resolution;
  const persons = await resolvePersons(
    ctx,
    counterparty,
    personsFor(deal, counterparty),
  );
  const state = await ctx.states.get(dealId);
  const order = await syncOrder(ctx, {
    lead,
    state,
    fields: {
      counterparty: counterparty.record,
      contactPersonRef: persons[0]?.ref ?? null,
    },
  });

  await backlinkCompany(ctx, lead, deal, counterparty);
  return {
    kind: "synced",
    patch: toStatePatch(lead, counterparty, persons[0] ?? null, order),
  };
}

async function readDeal(
  ctx: SyncContext,
  dealId: number,
): Promise<DealSnapshot> {
  const lead = await ctx.amocrm.getLead(dealId);
  ctx.trail.reads.push(`amoCRM deal #${dealId}`);
  if (!lead || lead.isDeleted) return { lead, contacts: [], company: null };

  const contactIds = lead.contacts.map((c) => c.id);
  const [contacts, companies] = await Promise.all([
    contactIds.length > 0
      ? ctx.amocrm.getContacts(contactIds)
      : Promise.resolve([]),
    lead.companyId
      ? ctx.amocrm.getCompanies([lead.companyId])
      : Promise.resolve([]),
  ]);
  if (contactIds.length > 0)
    ctx.trail.reads.push(`amoCRM contacts ${contactIds.join(", ")}`);
  if (lead.companyId) ctx.trail.reads.push(`amoCRM company #${lead.companyId}`);

  return {
    lead,
    contacts: orderContactsMainFirst(lead, contacts),
    company: companies[0] ?? null,
  };
}

/**
 * A company's counterparty gets every contact of the deal; a counterparty
 * made from (or found for) a contact gets only that contact, so a new main
 * contact never adds its person to the previous contact's counterparty.
 */
function personsFor(
  deal: DealSnapshot,
  counterparty: ResolvedCounterparty,
): AmoContact[] {
  if (counterparty.contactId === null) return deal.contacts;
  return deal.contacts.filter((c) => c.id === counterparty.contactId);
}

async function resolvePersons(
  ctx: SyncContext,
  counterparty: ResolvedCounterparty,
  contacts: AmoContact[],
): Promise<ContactPersonRecord[]> {
  const persons: ContactPersonRecord[] = [];
  // One at a time: contact persons of one owner must not race each other.
  for (const contact of contacts) {
    persons.push(await resolveContactPerson(ctx, counterparty.record, contact));
  }
  return persons;
}

async function backlinkCompany(
  ctx: SyncContext,
  lead: AmoLead,
  deal: DealSnapshot,
  counterparty: ResolvedCounterparty,
): Promise<void> {
  const wanted = decideCompanyBacklink({
    settings: ctx.settings,
    dealHasCompany: deal.company !== null,
    origin: counterparty.origin,
    counterparty: counterparty.record,
  });
  if (!wanted) return;

  const { record } = counterparty;
  const companyId =
    (await findCompanyOf(ctx, record)) ?? (await createCompanyOf(ctx, record));
  await ctx.amocrm.linkCompanyToLead(lead.id, companyId);
  ctx.trail.writes.push(`amoCRM company #${companyId} linked to the deal`);
}

/**
 * An amoCRM company already linked to the counterparty: one created by an
 * earlier attempt whose link call failed, or a company of the account.
 * Only one amoCRM still holds counts.
 */
async function findCompanyOf(
  ctx: SyncContext,
  record: CounterpartyRecord,
): Promise<number | null> {
  const links = await ctx.links.findByOnecRef(
    "company_counterparty",
    record.ref,
  );
  if (links.length === 0) return null;

  const ids = links.map((l) => l.amoId);
  ctx.trail.reads.push(`amoCRM companies ${ids.join(", ")}`);
  const held = new Set((await ctx.amocrm.getCompanies(ids)).map((c) => c.id));
  return ids.find((id) => held.has(id)) ?? null;
}

/**
 * The link is saved right after amoCRM answers, before the lead is linked,
 * so a retry after a failed link call (or a crash) reuses the company
 * instead of creating a second one.
 * TODO(#5): a crash between amoCRM's answer and the link insert still
 * leaves an unrecorded company; look it up by INN in amoCRM first.
 */
async function createCompanyOf(
  ctx: SyncContext,
  record: CounterpartyRecord,
): Promise<number> {
  const textFields: Record<number, string> = {};
  if (ctx.settings.innFieldId && record.inn)
    textFields[ctx.settings.innFieldId] = record.inn;
  if (ctx.settings.kppFieldId && record.kpp)
    textFields[ctx.settings.kppFieldId] = record.kpp;

  const companyId = await ctx.amocrm.createCompany({
    name: record.name,
    textFields,
  });
  ctx.trail.writes.push(`amoCRM company #${companyId} created from 1C`);
  await ctx.links.save({
    kind: "company_counterparty",
    amoId: companyId,
    ownerRef: "",
    onecRef: record.ref,
    partnerRef: record.partnerRef,
    name: record.name,
    inn: record.inn,
    origin: "found",
  });
  return companyId;
}

function toStatePatch(
  lead: AmoLead,
  counterparty: ResolvedCounterparty,
  person: ContactPersonRecord | null,
  order: OrderRecord,
): DealStatePatch {
  return {
    deal_name: lead.name,
    counterparty_ref: counterparty.record.ref,
    counterparty_name: counterparty.record.name,
    counterparty_inn: counterparty.record.inn,
    counterparty_origin: counterparty.origin,
    counterparty_contact_id: counterparty.contactId,
    partner_ref: counterparty.record.partnerRef,
    contact_person_ref: person?.ref ?? null,
    contact_person_name: person?.name ?? null,
    order_ref: order.ref,
    order_number: order.number,
    order_date: order.date,
    order_sum: order.sum,
  };
}

function skipped(reason: string, lead: AmoLead | null): SyncResult {
  return {
    kind: "skipped",
    reason,
    patch: lead ? { deal_name: lead.name } : {},
  };
}
