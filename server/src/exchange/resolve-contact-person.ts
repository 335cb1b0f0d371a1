import type { AmoContact } from "../amocrm/api-types.js";
import type {
  ContactPersonRecord,
  CounterpartyRecord,
} from "../onec/gateway-types.js";
import type { SyncContext } from "./sync-context.js";

/**
 * The contact person for an amoCRM contact under one counterparty. The link
 * is keyed by the owner, so a contact attached to two counterparties gets
 * two contact persons and neither leaks into the other's list.
 */
export async function resolveContactPerson(
  ctx: SyncContext,
  counterparty: CounterpartyRecord,
  contact: AmoContact,
): Promise<ContactPersonRecord> {
  // UT 11 owns contact persons by the partner; BP 3.0 by the counterparty.
  const ownerRef = counterparty.partnerRef ?? counterparty.ref;

  const link = await ctx.links.find("contact_person", contact.id, ownerRef);
  if (link) {
    ctx.trail.reads.push(`1C contact person ${link.onecRef}`);
    const record = await ctx.onec.findContactPersonByRef(link.onecRef);
    if (record) return record;
    await ctx.links.remove("contact_person", contact.id, ownerRef);
  }

  ctx.trail.reads.push(`1C contact person search for contact #${contact.id}`);
  const found = await ctx.onec.findContactPerson(counterparty, {
    email: contact.emails[0],
    phone: contact.phones[0],
    name: contact.name,
  });
  const person =
    found ?? (await createContactPerson(ctx, counterparty, contact, ownerRef));

  await ctx.links.save({
    kind: "contact_person",
    amoId: contact.id,
    ownerRef,
    onecRef: person.ref,
    partnerRef: counterparty.partnerRef,
    name: person.name,
    inn: null,
    origin: found ? "found" : "contact",
  });
  return person;
}

async function createContactPerson(
  ctx: SyncContext,
  counterparty: CounterpartyRecord,
  contact: AmoContact,
  ownerRef: string,
): Promise<ContactPersonRecord> {
  const person = await ctx.onec.createContactPerson({
    owner: counterparty,
    name: contact.name,
    phone: contact.phones[0],
    email: contact.emails[0],
    purpose: `contact_person:${contact.id}:${ownerRef}`,
  });
  ctx.trail.writes.push(
    `1C contact person created from contact #${contact.id}`,
  );
  return person;
}
