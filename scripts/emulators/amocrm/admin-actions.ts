import { setLeadCompany, setLeadContacts, touch } from "./change-lead-links.js";
import type { EmulatorContext } from "./context.js";
import { setField } from "./custom-fields.js";
import {
  companyHookBody,
  contactHookBody,
  leadHookBody,
  sendWebhook,
} from "./send-webhook.js";
import {
  allocateId,
  findAdminUserId,
  findCompany,
  findContact,
  findLead,
} from "./state.js";
import type {
  CompanyRecord,
  ContactRecord,
  CustomFieldValue,
  LeadContactRef,
  LeadRecord,
} from "./types.js";

/** Thrown for an admin call on something that does not exist. */
export class AdminInputError extends Error {
  readonly status = 404;
}

export interface LeadPatch {
  name?: string | undefined;
  price?: number | undefined;
  contacts?: LeadContactRef[] | undefined;
  companyId?: number | null | undefined;
  deleted?: boolean | undefined;
}

function adminUserId(ctx: EmulatorContext): number {
  return findAdminUserId(ctx.state.seed);
}

function leadOrThrow(ctx: EmulatorContext, id: number): LeadRecord {
  const lead = findLead(ctx.state, id);
  if (!lead) throw new AdminInputError(`lead ${id} not found`);
  return lead;
}

/** Changes a lead as a manager would in the UI, then sends the hooks. */
export function updateLead(
  ctx: EmulatorContext,
  id: number,
  patch: LeadPatch,
): void {
  const lead = leadOrThrow(ctx, id);
  const userId = adminUserId(ctx);

  if (patch.deleted === true) {
    lead.is_deleted = true;
    touch(lead, ctx.nowSec(), userId);
    sendWebhook(ctx, "delete_lead", leadHookBody(ctx, "delete", lead));
    return;
  }
  let changed = false;
  if (patch.name !== undefined && patch.name !== lead.name) {
    lead.name = patch.name;
    changed = true;
  }
  if (patch.price !== undefined && patch.price !== lead.price) {
    lead.price = patch.price;
    changed = true;
  }
  if (patch.contacts !== undefined) {
    changed =
      setLeadContacts(ctx, { lead, contacts: patch.contacts, userId }) ||
      changed;
  }
  if (patch.companyId !== undefined) {
    changed =
      setLeadCompany(ctx, { lead, companyId: patch.companyId, userId }) ||
      changed;
  }
  if (!changed) return;

  touch(lead, ctx.nowSec(), userId);
  sendWebhook(ctx, "update_lead", leadHookBody(ctx, "update", lead));
}

export interface NewLead {
  name: string;
  price?: number | undefined;
  contacts?: LeadContactRef[] | undefined;
  companyId?: number | undefined;
}

export function createLead(ctx: EmulatorContext, input: NewLead): number {
  const userId = adminUserId(ctx);
  const now = ctx.nowSec();
  const pipeline =
    ctx.state.seed.pipelines.find((p) => p.is_main) ??
    ctx.state.seed.pipelines[0];
  const lead: LeadRecord = {
    id: allocateId(ctx.state),
    name: input.name,
    price: input.price ?? 0,
    status_id: pipeline?.statuses[0]?.id ?? 0,
    pipeline_id: pipeline?.id ?? 0,
    responsible_user_id: userId,
    closed_at: null,
    custom_fields_values: null,
    contacts: [],
    company_id: null,
    created_at: now,
    updated_at: now,
    created_by: userId,
    updated_by: userId,
    is_deleted: false,
  };
  ctx.state.leads.push(lead);
  if (input.contacts)
    setLeadContacts(ctx, { lead, contacts: input.contacts, userId });
  if (input.companyId !== undefined)
    setLeadCompany(ctx, { lead, companyId: input.companyId, userId });

  sendWebhook(ctx, "add_lead", leadHookBody(ctx, "add", lead));
  return lead.id;
}

interface PhoneEmail {
  phone?: string | undefined;
  email?: string | undefined;
}

// Phones and e-mails are multitext fields PHONE/EMAIL (reference §3.4).
function withPhoneEmail(
  ctx: EmulatorContext,
  entity: "contacts" | "companies",
  current: CustomFieldValue[] | null,
  input: PhoneEmail,
): CustomFieldValue[] | null {
  const defs = ctx.state.seed.custom_fields[entity];
  const afterPhone = setField({
    defs,
    current,
    field: "PHONE",
    value: input.phone,
    enumCode: "WORK",
  });
  return setField({
    defs,
    current: afterPhone,
    field: "EMAIL",
    value: input.email,
    enumCode: "WORK",
  });
}

export interface NewContact extends PhoneEmail {
  name: string;
  first_name?: string | undefined;
  last_name?: string | undefined;
}

export function createContact(ctx: EmulatorContext, input: NewContact): number {
  const userId = adminUserId(ctx);
  const now = ctx.nowSec();
  const contact: ContactRecord = {
    id: allocateId(ctx.state),
    name: input.name,
    first_name: input.first_name ?? "",
    last_name: input.last_name ?? "",
    responsible_user_id: userId,
    company_id: null,
    custom_fields_values: withPhoneEmail(ctx, "contacts", null, input),
    created_at: now,
    updated_at: now,
    created_by: userId,
    updated_by: userId,
    is_deleted: false,
  };
  ctx.state.contacts.push(contact);
  sendWebhook(ctx, "add_contact", contactHookBody(ctx, "add", contact));
  return contact.id;
}

export interface ContactPatch extends PhoneEmail {
  name?: string | undefined;
  deleted?: boolean | undefined;
}

export function updateContact(
  ctx: EmulatorContext,
  id: number,
  patch: ContactPatch,
): void {
  const contact = findContact(ctx.state, id);
  if (!contact) throw new AdminInputError(`contact ${id} not found`);

  if (patch.deleted === true) {
    contact.is_deleted = true;
    touch(contact, ctx.nowSec(), adminUserId(ctx));
    sendWebhook(ctx, "delete_contact", contactHookBody(ctx, "delete", contact));
    return;
  }
  if (patch.name !== undefined) contact.name = patch.name;
  contact.custom_fields_values = withPhoneEmail(
    ctx,
    "contacts",
    contact.custom_fields_values,
    patch,
  );
  touch(contact, ctx.nowSec(), adminUserId(ctx));
  sendWebhook(ctx, "update_contact", contactHookBody(ctx, "update", contact));
}

export interface NewCompany extends PhoneEmail {
  name: string;
  inn?: string | undefined;
  kpp?: string | undefined;
}

function taxFieldIds(ctx: EmulatorContext): {
  inn: number | null;
  kpp: number | null;
} {
  const configured = ctx.state.seed.company_tax_fields;
  if (configured) return configured;
  const defs = ctx.state.seed.custom_fields.companies;
  const byName = (re: RegExp) => defs.find((d) => re.test(d.name))?.id ?? null;
  return { inn: byName(/ИНН|INN/i), kpp: byName(/КПП|KPP/i) };
}

export function createCompany(ctx: EmulatorContext, input: NewCompany): number {
  const userId = adminUserId(ctx);
  const now = ctx.nowSec();
  const defs = ctx.state.seed.custom_fields.companies;
  const tax = taxFieldIds(ctx);
  let values = withPhoneEmail(ctx, "companies", null, input);
  if (tax.inn !== null)
    values = setField({
      defs,
      current: values,
      field: tax.inn,
      value: input.inn,
    });
  if (tax.kpp !== null)
    values = setField({
      defs,
      current: values,
      field: tax.kpp,
      value: input.kpp,
    });

  const company: CompanyRecord = {
    id: allocateId(ctx.state),
    name: input.name,
    responsible_user_id: userId,
    custom_fields_values: values,
    created_at: now,
    updated_at: now,
    created_by: userId,
    updated_by: userId,
    is_deleted: false,
  };
  ctx.state.companies.push(company);
  sendWebhook(ctx, "add_company", companyHookBody(ctx, "add", company));
  return company.id;
}

export function findCompanyOrThrow(
  ctx: EmulatorContext,
  id: number,
): CompanyRecord {
  const company = findCompany(ctx.state, id);
  if (!company) throw new AdminInputError(`company ${id} not found`);
  return company;
}
