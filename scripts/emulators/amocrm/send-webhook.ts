import qs from "qs";

import type { EmulatorContext } from "./context.js";
import type {
  AmocrmState,
  CompanyRecord,
  ContactRecord,
  CustomFieldValue,
  LeadRecord,
} from "./types.js";

export type HookAction = "add" | "update" | "delete";

const DELIVERY_TIMEOUT_MS = 5000;
// amoCRM retries a failed hook after a delay (reference §4.4); the emulator
// keeps it simple: one retry, one second later.
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

export function leadHookBody(
  ctx: EmulatorContext,
  action: HookAction,
  lead: LeadRecord,
): Record<string, unknown> {
  return {
    leads: { [action]: [leadPart(ctx, lead)] },
    account: accountPart(ctx),
  };
}

export function contactHookBody(
  ctx: EmulatorContext,
  action: HookAction,
  contact: ContactRecord,
): Record<string, unknown> {
  const part = {
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
  return { contacts: { [action]: [part] }, account: accountPart(ctx) };
}

// Companies travel under contacts[...] with type=company (reference §4.2).
export function companyHookBody(
  ctx: EmulatorContext,
  action: HookAction,
  company: CompanyRecord,
): Record<string, unknown> {
  const part = {
    id: String(company.id),
    name: company.name,
    type: "company",
    ...timesPart(company),
    account_id: String(ctx.accountId),
    custom_fields: legacyCustomFields(company.custom_fields_values),
    linked_leads_id: linkedLeads(ctx.state, (l) => l.company_id === company.id),
  };
  return { contacts: { [action]: [part] }, account: accountPart(ctx) };
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
  ctx.deliveries.push({ destination, status, body, attempt, at: ctx.now() });
  if ((status >= 200 && status < 300) || attempt >= 2 || ctx.stopped) return;

  const timer = setTimeout(() => {
    ctx.timers.delete(timer);
    track(ctx, deliver(ctx, destination, body, attempt + 1));
  }, WEBHOOK_RETRY_DELAY_MS);
  ctx.timers.add(timer);
}

/**
 * Posts a form-encoded hook to every enabled subscription whose settings
 * include `setting` (e.g. update_lead). Returns at once; delivery is async.
 */
export function sendWebhook(
  ctx: EmulatorContext,
  setting: string,
  payload: Record<string, unknown>,
): void {
  const body = qs.stringify(payload);
  for (const hook of ctx.state.webhooks) {
    if (hook.disabled || !hook.settings.includes(setting)) continue;
    track(ctx, deliver(ctx, hook.destination, body, 1));
  }
}

function track(ctx: EmulatorContext, pending: Promise<void>): void {
  ctx.pendingDeliveries.add(pending);
  void pending.finally(() => ctx.pendingDeliveries.delete(pending));
}
