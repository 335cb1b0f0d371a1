import { z } from "zod";

import { AppError } from "../errors.js";
import type {
  AmoAccount,
  AmoCompany,
  AmoContact,
  AmoCustomFieldValue,
  AmoLead,
  AmoLinkEvent,
  AmoUser,
  AmoWebhook,
} from "./api-types.js";

// Schemas name only the fields amo1c reads; amoCRM adds fields freely and
// parsers must tolerate unknown field types (reference amocrm §3.5).

const fieldValueSchema = z.object({
  field_id: z.number(),
  field_code: z.string().nullish(),
  values: z
    .array(z.object({ value: z.unknown(), enum_code: z.string().nullish() }))
    .nullish(),
});

// amoCRM sends `custom_fields_values: null` for "no values" (reference §3.5).
const fieldValuesSchema = z.array(fieldValueSchema).nullish();

const accountSchema = z.object({
  id: z.number(),
  name: z.string(),
  subdomain: z.string(),
});

const leadSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  price: z.number().nullish(),
  pipeline_id: z.number(),
  status_id: z.number(),
  updated_at: z.number(),
  is_deleted: z.boolean().nullish(),
  custom_fields_values: fieldValuesSchema,
  _embedded: z
    .object({
      contacts: z
        .array(z.object({ id: z.number(), is_main: z.boolean().nullish() }))
        .nullish(),
      companies: z.array(z.object({ id: z.number() })).nullish(),
    })
    .nullish(),
});

const contactSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  custom_fields_values: fieldValuesSchema,
});

const companySchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  custom_fields_values: fieldValuesSchema,
});

const userSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  rights: z
    .object({
      is_admin: z.boolean().nullish(),
      is_active: z.boolean().nullish(),
    })
    .nullish(),
});

const eventSchema = z.object({
  id: z.union([z.string(), z.number()]),
  type: z.string(),
  entity_id: z.number(),
  entity_type: z.string(),
  created_at: z.number(),
});

const webhookSchema = z.object({
  id: z.number(),
  destination: z.string(),
  settings: z.array(z.string()).nullish(),
  disabled: z.boolean().nullish(),
});

/** Parses one amoCRM object or fails with an error naming what was read. */
function parse<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new AppError(
    "amocrm_request_failed",
    `amoCRM sent ${what} in an unexpected shape: ${z.prettifyError(result.error)}`,
    { status: 502, source: "amocrm", cause: result.error },
  );
}

export function toAccount(data: unknown): AmoAccount {
  const a = parse(accountSchema, data, "the account");
  return { id: a.id, name: a.name, subdomain: a.subdomain };
}

export function toLead(data: unknown): AmoLead {
  const l = parse(leadSchema, data, "a lead");
  return {
    id: l.id,
    name: l.name ?? "",
    price: l.price ?? 0,
    pipelineId: l.pipeline_id,
    statusId: l.status_id,
    updatedAt: l.updated_at,
    isDeleted: l.is_deleted ?? false,
    contacts: (l._embedded?.contacts ?? []).map((c) => ({
      id: c.id,
      isMain: c.is_main ?? false,
    })),
    // amoCRM links at most one company to a lead (reference amocrm §3.3).
    companyId: l._embedded?.companies?.[0]?.id ?? null,
    customFields: toCustomFields(l.custom_fields_values),
  };
}

export function toContact(data: unknown): AmoContact {
  const c = parse(contactSchema, data, "a contact");
  const customFields = toCustomFields(c.custom_fields_values);
  return {
    id: c.id,
    name: c.name ?? "",
    firstName: c.first_name ?? "",
    lastName: c.last_name ?? "",
    phones: valuesOf(customFields, "PHONE"),
    emails: valuesOf(customFields, "EMAIL"),
    customFields,
  };
}

export function toCompany(data: unknown): AmoCompany {
  const c = parse(companySchema, data, "a company");
  const customFields = toCustomFields(c.custom_fields_values);
  return {
    id: c.id,
    name: c.name ?? "",
    phones: valuesOf(customFields, "PHONE"),
    emails: valuesOf(customFields, "EMAIL"),
    customFields,
  };
}

export function toUser(data: unknown): AmoUser {
  const u = parse(userSchema, data, "a user");
  return {
    id: u.id,
    name: u.name ?? "",
    isAdmin: u.rights?.is_admin ?? false,
    isActive: u.rights?.is_active ?? true,
  };
}

export function toWebhook(data: unknown): AmoWebhook {
  const w = parse(webhookSchema, data, "a webhook");
  return {
    id: w.id,
    destination: w.destination,
    settings: w.settings ?? [],
    disabled: w.disabled ?? false,
  };
}

export function toLinkEvent(data: unknown): AmoLinkEvent {
  const e = parse(eventSchema, data, "an event");
  return {
    id: String(e.id),
    type: e.type,
    entityId: e.entity_id,
    entityType: e.entity_type,
    createdAt: e.created_at,
  };
}

function toCustomFields(
  values: z.infer<typeof fieldValuesSchema>,
): AmoCustomFieldValue[] {
  return (values ?? []).map((field) => ({
    fieldId: field.field_id,
    fieldCode: field.field_code ?? null,
    values: (field.values ?? []).map((v) => ({
      value: toText(v.value),
      enumCode: v.enum_code ?? null,
    })),
  }));
}

/** Multitext PHONE/EMAIL values, addressed by field code (reference §3.4). */
function valuesOf(fields: AmoCustomFieldValue[], code: string): string[] {
  return fields
    .filter((f) => f.fieldCode === code)
    .flatMap((f) => f.values.map((v) => v.value))
    .filter((v) => v !== "");
}

function toText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
