import { randomBytes } from "node:crypto";

import type {
  AmocrmState,
  EventRecord,
  LeadContactRef,
  LeadRecord,
} from "./types.js";

const EVENT_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** What a link change needs to know about the emulator. */
export interface LinkChangeContext {
  state: AmocrmState;
  accountId: number;
  nowSec(): number;
}

// Event ids look like lower-case ULIDs (reference §3.10).
function eventId(): string {
  const bytes = randomBytes(24);
  let id = "01";
  for (const b of bytes) id += EVENT_ID_ALPHABET[b % 32];
  return id;
}

interface RecordEventOptions {
  type: string;
  lead: LeadRecord;
  target: { type: "contact" | "company"; id: number };
  userId: number;
}

// value_after/value_before carry {link|unlink: {entity: {type, id}}}
// (AMO-EVENTS, "link" event structures).
function recordLinkEvent(ctx: LinkChangeContext, o: RecordEventOptions): void {
  const linked = o.type.endsWith("_linked");
  const change = { [linked ? "link" : "unlink"]: { entity: o.target } };
  const event: EventRecord = {
    id: eventId(),
    type: o.type,
    entity_id: o.lead.id,
    entity_type: "lead",
    created_by: o.userId,
    created_at: ctx.nowSec(),
    value_after: linked ? [change] : [],
    value_before: linked ? [] : [change],
    account_id: ctx.accountId,
  };
  ctx.state.events.push(event);
}

export function touch(
  entity: { updated_at: number; updated_by: number },
  nowSec: number,
  userId: number,
): void {
  entity.updated_at = nowSec;
  entity.updated_by = userId;
}

export interface SetLeadContactsOptions {
  lead: LeadRecord;
  contacts: LeadContactRef[];
  userId: number;
}

/** Replaces the lead's contacts; records contact_linked/unlinked events. */
export function setLeadContacts(
  ctx: LinkChangeContext,
  o: SetLeadContactsOptions,
): boolean {
  const before = new Map(o.lead.contacts.map((c) => [c.id, c.is_main]));
  const after = new Map(o.contacts.map((c) => [c.id, c.is_main]));
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const mainChanged = [...after].some(
    ([id, isMain]) => before.has(id) && before.get(id) !== isMain,
  );
  if (added.length === 0 && removed.length === 0 && !mainChanged) return false;

  o.lead.contacts = o.contacts.map((c) => ({ id: c.id, is_main: c.is_main }));
  for (const id of removed) {
    const target = { type: "contact" as const, id };
    recordLinkEvent(ctx, {
      type: "contact_unlinked",
      lead: o.lead,
      target,
      userId: o.userId,
    });
  }
  for (const id of added) {
    const target = { type: "contact" as const, id };
    recordLinkEvent(ctx, {
      type: "contact_linked",
      lead: o.lead,
      target,
      userId: o.userId,
    });
  }
  touch(o.lead, ctx.nowSec(), o.userId);
  return true;
}

export interface SetLeadCompanyOptions {
  lead: LeadRecord;
  companyId: number | null;
  userId: number;
}

/** A lead has at most one company (reference §3.3); replacing unlinks the old one. */
export function setLeadCompany(
  ctx: LinkChangeContext,
  o: SetLeadCompanyOptions,
): boolean {
  const previous = o.lead.company_id;
  if (previous === o.companyId) return false;

  o.lead.company_id = o.companyId;
  if (previous !== null) {
    const target = { type: "company" as const, id: previous };
    recordLinkEvent(ctx, {
      type: "company_unlinked",
      lead: o.lead,
      target,
      userId: o.userId,
    });
  }
  if (o.companyId !== null) {
    const target = { type: "company" as const, id: o.companyId };
    recordLinkEvent(ctx, {
      type: "company_linked",
      lead: o.lead,
      target,
      userId: o.userId,
    });
  }
  touch(o.lead, ctx.nowSec(), o.userId);
  return true;
}
