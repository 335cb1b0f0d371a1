import type { AmoContact, AmoLead } from "../amocrm/api-types.js";
import type {
  ContactPersonRecord,
  OrderRecord,
} from "../onec/gateway-types.js";
import { backlinkCompany } from "./backlink-company.js";
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
  | {
      kind: "skipped";
      reason: string;
      patch: DealStatePatch;
      /** amoCRM has no such deal, or only a deleted one. */
      notFound: boolean;
    };

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

  await backlinkCompany(ctx, { lead, deal, counterparty });
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
    notFound: !lead || lead.isDeleted,
  };
}
