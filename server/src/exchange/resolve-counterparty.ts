import type { AmoCompany, AmoContact } from "../amocrm/api-types.js";
import type {
  CounterpartyKind,
  CounterpartyRecord,
} from "../onec/gateway-types.js";
import type { CounterpartyOrigin } from "./decide-company-backlink.js";
import type { CounterpartySource } from "./decide-counterparty-source.js";
import { companyMarker, contactMarker } from "./describe-deal.js";
import type { LinkKind } from "./entity-links-repository.js";
import type { SyncContext } from "./sync-context.js";

export interface ResolvedCounterparty {
  record: CounterpartyRecord;
  origin: CounterpartyOrigin;
  /** The amoCRM contact it was made from or found for (contact deals). */
  contactId: number | null;
}

export type CounterpartyResolution =
  | { kind: "resolved"; counterparty: ResolvedCounterparty }
  | { kind: "none"; reason: string };

/**
 * Finds or creates the counterparty for a source: the link table first,
 * then a search in 1C, and only then a create.
 */
export async function resolveCounterparty(
  ctx: SyncContext,
  source: Exclude<CounterpartySource, { kind: "none" }>,
): Promise<CounterpartyResolution> {
  return source.kind === "company"
    ? resolveFromCompany(ctx, source.company, source.inn, source.kpp)
    : resolveFromContact(ctx, source.contact);
}

async function resolveFromCompany(
  ctx: SyncContext,
  company: AmoCompany,
  inn: string | null,
  kpp: string | null,
): Promise<CounterpartyResolution> {
  const linked = await findLinked(ctx, "company_counterparty", company.id);
  if (linked) return resolved(linked.record, linked.origin, null);

  const found = inn
    ? await ctx.onec.findCounterpartyByInn(inn, kpp ?? undefined)
    : null;
  ctx.trail.reads.push(`1C counterparty by INN ${inn ?? "(none)"}`);
  if (found) {
    await saveLink(ctx, "company_counterparty", company.id, found, "found");
    return resolved(found, "found", null);
  }

  const created = await ctx.onec.createCounterparty({
    kind: kindByInn(inn),
    name: company.name,
    inn: inn ?? undefined,
    kpp: kpp ?? undefined,
    phone: company.phones[0],
    email: company.emails[0],
    marker: companyMarker(company.id),
    purpose: `counterparty:company:${company.id}`,
  });
  ctx.trail.writes.push(`1C counterparty created from company #${company.id}`);
  await saveLink(ctx, "company_counterparty", company.id, created, "company");
  return resolved(created, "company", null);
}

/** Only called while "Create counterparties when loading deals" is on. */
async function resolveFromContact(
  ctx: SyncContext,
  contact: AmoContact,
): Promise<CounterpartyResolution> {
  const linked = await findLinked(ctx, "contact_counterparty", contact.id);
  if (linked) return resolved(linked.record, linked.origin, contact.id);

  const found = await searchByContactData(ctx, contact);
  if (found) {
    await saveLink(ctx, "contact_counterparty", contact.id, found, "found");
    return resolved(found, "found", contact.id);
  }

  const created = await ctx.onec.createCounterparty({
    kind: "person",
    name: contact.name,
    phone: contact.phones[0],
    email: contact.emails[0],
    marker: contactMarker(contact.id),
    purpose: `counterparty:contact:${contact.id}`,
  });
  ctx.trail.writes.push(`1C counterparty created from contact #${contact.id}`);
  await saveLink(ctx, "contact_counterparty", contact.id, created, "contact");
  return resolved(created, "contact", contact.id);
}

async function searchByContactData(
  ctx: SyncContext,
  contact: AmoContact,
): Promise<CounterpartyRecord | null> {
  for (const phone of contact.phones) {
    ctx.trail.reads.push("1C counterparty by phone");
    const found = await ctx.onec.findCounterpartyByPhone(phone);
    if (found && !(await madeFromOther(ctx, found, contact.id))) return found;
  }
  for (const email of contact.emails) {
    ctx.trail.reads.push("1C counterparty by e-mail");
    const found = await ctx.onec.findCounterpartyByEmail(email);
    if (found && !(await madeFromOther(ctx, found, contact.id))) return found;
  }
  return null;
}

/**
 * Rule 3: a counterparty amo1c made from one contact belongs to it. A new
 * contact sharing that contact's phone or e-mail (a family number, an
 * office mailbox) gets its own, or it would become a contact person there.
 */
async function madeFromOther(
  ctx: SyncContext,
  record: CounterpartyRecord,
  contactId: number,
): Promise<boolean> {
  const links = await ctx.links.findByOnecRef(
    "contact_counterparty",
    record.ref,
  );
  const owner = links.find((l) => l.origin === "contact");
  return owner !== undefined && owner.amoId !== contactId;
}

/** A linked object still counts only while 1C holds it (not deleted). */
async function findLinked(
  ctx: SyncContext,
  kind: LinkKind,
  amoId: number,
): Promise<{ record: CounterpartyRecord; origin: CounterpartyOrigin } | null> {
  const link = await ctx.links.find(kind, amoId);
  if (!link) return null;

  ctx.trail.reads.push(`1C counterparty ${link.onecRef}`);
  const record = await ctx.onec.findCounterpartyByRef(link.onecRef);
  if (record) return { record, origin: link.origin ?? "found" };

  ctx.log.warn(
    { kind, amoId, ref: link.onecRef },
    "linked counterparty gone from 1C",
  );
  await ctx.links.remove(kind, amoId);
  return null;
}

async function saveLink(
  ctx: SyncContext,
  kind: LinkKind,
  amoId: number,
  record: CounterpartyRecord,
  origin: CounterpartyOrigin,
): Promise<void> {
  await ctx.links.save({
    kind,
    amoId,
    ownerRef: "",
    onecRef: record.ref,
    partnerRef: record.partnerRef,
    name: record.name,
    inn: record.inn,
    origin,
  });
}

function resolved(
  record: CounterpartyRecord,
  origin: CounterpartyOrigin,
  contactId: number | null,
): CounterpartyResolution {
  return { kind: "resolved", counterparty: { record, origin, contactId } };
}

/** 10-digit INN: legal entity; 12 digits: sole proprietor (FNS formats). */
function kindByInn(inn: string | null): CounterpartyKind {
  return inn?.length === 12 ? "sole_proprietor" : "legal";
}
