import qs from "qs";

import type { EmulatorContext } from "./context.js";
import { appendBounded } from "./context.js";
import type {
  AmocrmState,
  CompanyRecord,
  ContactRecord,
  CustomFieldValue,
  LeadRecord,
  NoteRecord,
} from "./types.js";

export type HookAction = "add" | "update" | "delete";

const DELIVERY_TIMEOUT_MS = 5000;
// amoCRM retries a failed hook after a delay (reference §4.4); the emulator
// keeps it simple: one retry, one second later.
// amoCRM's longer retry schedule and its disabling of a hook that keeps
// failing are not reproduced: amo1c answers at once or is down.
export const WEBHOOK_RETRY_DELAY_MS = 1000;

// Legacy v2 shape: custom_fields with id/name/code and string values
// (reference §4.2).
function legacyCustomFields(values: CustomFieldValue[] | null) {
  return (values ?? []).map((f) => ({
    id: String(f.field_id),
    name: f.field_name,
    ...(f.field_code === null ? {} : { code: f.field_code }),
    values: f.values.map((v) => ({
      value: String(v.value),
      ...(v.enum_id === undefined ? {} : { enum: String(v.enum_id) }),
    })),
  }));
}

function accountPart(ctx: EmulatorContext) {
  return {
    subdomain: ctx.state.seed.account.subdomain,
    id: String(ctx.accountId),
    _links: { self: `https://${ctx.host}` },
  };
}

function timesPart(e: {
  created_at: number;
  updated_at: number;
  created_by: number;
  updated_by: number;
  responsible_user_id: number;
}) {
  return {
    responsible_user_id: String(e.responsible_user_id),
    date_create: String(e.created_at),
    last_modified: String(e.updated_at),
    created_user_id: String(e.created_by),
    modified_user_id: String(e.updated_by),
    created_at: String(e.created_at),
    updated_at: String(e.updated_at),
  };
}

function leadPart(ctx: EmulatorContext, lead: LeadRecord) {
  return {
    id: String(lead.id),
    name: lead.name,
    status_id: String(lead.status_id),
    price: String(lead.price),
    pipeline_id: String(lead.pipeline_id),
    ...timesPart(lead),
    account_id: String(ctx.accountId),
    custom_fields: legacyCustomFields(lead.custom_fields_values),
  };
}

// Linked leads are keyed by lead id with an upper-case ID inside
// (reference §4.2).
function linkedLeads(state: AmocrmState, test: (l: LeadRecord) => boolean) {
  const entries = state.leads
    .filter((l) => !l.is_deleted && test(l))
    .map((l) => [String(l.id), { ID: String(l.id) }] as const);
  return Object.fromEntries(entries);
}

/** One entity under one action, e.g. leads[update][0]. */
export interface HookPart {
  /** Subscription setting that selects it, e.g. update_lead. */
  setting: string;
  entity: "leads" | "contacts";
  action: HookAction | "status" | "note";
  item: Record<string, unknown>;
}

export function leadHookPart(
  ctx: EmulatorContext,
  action: HookAction,
  lead: LeadRecord,
): HookPart {
  return {
    setting: `${action}_lead`,
    entity: "leads",
    action,
    item: leadPart(ctx, lead),
  };
}

// A stage change goes out as leads[status] with the previous stage
// (reference §4.2, §4.3).
export function leadStatusHookPart(
  ctx: EmulatorContext,
  lead: LeadRecord,
  old: { status_id: number; pipeline_id: number },
): HookPart {
  const item = {
    ...leadPart(ctx, lead),
    old_status_id: String(old.status_id),
    old_pipeline_id: String(old.pipeline_id),
  };
  return { setting: "status_lead", entity: "leads", action: "status", item };
}

export function contactHookPart(
  ctx: EmulatorContext,
  action: HookAction,
  contact: ContactRecord,
): HookPart {
  const item = {
    id: String(contact.id),
    name: contact.name,
    type: "contact",
    ...timesPart(contact),
    ...(contact.company_id === null
      ? {}
      : { linked_company_id: String(contact.company_id) }),
    account_id: String(ctx.accountId),
    custom_fields: legacyCustomFields(contact.custom_fields_values),
    linked_leads_id: linkedLeads(ctx.state, (l) =>
      l.contacts.some((c) => c.id === contact.id),
    ),
  };
  return { setting: `${action}_contact`, entity: "contacts", action, item };
}

// Public handlers read note hooks' note_type as the legacy number: 4 for
// text, 10 and 11 for calls; other types go out under their v4 name.
const LEGACY_NOTE_TYPES: Record<string, string> = {
  common: "4",
  call_in: "10",
  call_out: "11",
};

// A lead's note goes out as leads[note][i][note][…] with element_id, the
// lead (reference §4.2, public fixtures).
export function noteHookPart(ctx: EmulatorContext, note: NoteRecord): HookPart {
  const text = note.params.text;
  const item = {
    note: {
      id: String(note.id),
      element_id: String(note.entity_id),
      note_type: LEGACY_NOTE_TYPES[note.note_type] ?? note.note_type,
      ...(typeof text === "string" ? { text } : {}),
      created_by: String(note.created_by),
      date_create: String(note.created_at),
      account_id: String(ctx.accountId),
    },
  };
  return { setting: "note_lead", entity: "leads", action: "note", item };
}

// Companies travel under contacts[...] with type=company (reference §4.2).
export function companyHookPart(
  ctx: EmulatorContext,
  action: HookAction,
  company: CompanyRecord,
): HookPart {
  const item = {
    id: String(company.id),
    name: company.name,
    type: "company",
    ...timesPart(company),
    account_id: String(ctx.accountId),
    custom_fields: legacyCustomFields(company.custom_fields_values),
    linked_leads_id: linkedLeads(ctx.state, (l) => l.company_id === company.id),
  };
  return { setting: `${action}_company`, entity: "contacts", action, item };
}

// Several entities and actions may share one POST (reference §4.2).
function hookBody(ctx: EmulatorContext, parts: HookPart[]): string {
  const payload: Record<string, unknown> = {};
  for (const part of parts) {
    const byAction = (payload[part.entity] ??= {}) as Record<string, unknown[]>;
    (byAction[part.action] ??= []).push(part.item);
  }
  payload.account = accountPart(ctx);
  return qs.stringify(payload);
}

async function post(destination: string, body: string): Promise<number> {
  try {
    const response = await fetch(destination, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

async function deliver(
  ctx: EmulatorContext,
  destination: string,
  body: string,
  attempt: number,
): Promise<void> {
  if (ctx.stopped) return;
  const status = await post(destination, body);
  const at = ctx.now();
  appendBounded(ctx.deliveries, { destination, status, body, attempt, at });
  if ((status >= 200 && status < 300) || attempt >= 2 || ctx.stopped) return;

  const timer = setTimeout(() => {
    ctx.timers.delete(timer);
    track(ctx, deliver(ctx, destination, body, attempt + 1));
  }, WEBHOOK_RETRY_DELAY_MS);
  ctx.timers.add(timer);
}

/**
 * Posts one form-encoded hook to every enabled subscription, holding the
 * parts its settings ask for (e.g. update_lead). Admin and API changes
 * alike call it, as amoCRM hooks every change. Returns at once; delivery
 * is async.
 */
export function sendWebhook(ctx: EmulatorContext, parts: HookPart[]): void {
  for (const hook of ctx.state.webhooks) {
    if (hook.disabled) continue;
    const wanted = parts.filter((p) => hook.settings.includes(p.setting));
    if (wanted.length === 0) continue;
    track(ctx, deliver(ctx, hook.destination, hookBody(ctx, wanted), 1));
  }
}

function track(ctx: EmulatorContext, pending: Promise<void>): void {
  ctx.pendingDeliveries.add(pending);
  void pending.finally(() => ctx.pendingDeliveries.delete(pending));
}
