import { touch } from "../change-lead-links.js";
import type { EmulatorContext } from "../context.js";
import { setField } from "../custom-fields.js";
import { companyHookPart, sendWebhook } from "../send-webhook.js";
import { allocateId, findCompany } from "../state.js";
import type { CompanyRecord, CustomFieldValue } from "../types.js";
import type { PhoneEmail } from "./admin-common.js";
import {
  AdminInputError,
  adminUserId,
  withPhoneEmail,
} from "./admin-common.js";

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

interface CompanyFields extends PhoneEmail {
  inn?: string | undefined;
  kpp?: string | undefined;
}

function withCompanyFields(
  ctx: EmulatorContext,
  current: CustomFieldValue[] | null,
  input: CompanyFields,
): CustomFieldValue[] | null {
  const defs = ctx.state.seed.custom_fields.companies;
  const tax = taxFieldIds(ctx);
  let values = withPhoneEmail(ctx, "companies", current, input);
  if (tax.inn !== null) {
    values = setField({
      defs,
      current: values,
      field: tax.inn,
      value: input.inn,
    });
  }
  if (tax.kpp !== null) {
    values = setField({
      defs,
      current: values,
      field: tax.kpp,
      value: input.kpp,
    });
  }
  return values;
}

export function createCompany(ctx: EmulatorContext, input: NewCompany): number {
  const userId = adminUserId(ctx);
  const now = ctx.nowSec();
  const company: CompanyRecord = {
    id: allocateId(ctx.state),
    name: input.name,
    responsible_user_id: userId,
    custom_fields_values: withCompanyFields(ctx, null, input),
    created_at: now,
    updated_at: now,
    created_by: userId,
    updated_by: userId,
    is_deleted: false,
  };
  ctx.state.companies.push(company);
  sendWebhook(ctx, [companyHookPart(ctx, "add", company)]);
  return company.id;
}

export interface CompanyPatch extends CompanyFields {
  name?: string | undefined;
  deleted?: boolean | undefined;
}

/** Changes a company (an empty string clears a field), then sends the hook. */
export function updateCompany(
  ctx: EmulatorContext,
  id: number,
  patch: CompanyPatch,
): void {
  const company = findCompany(ctx.state, id);
  if (!company) throw new AdminInputError(`company ${id} not found`);

  const action = patch.deleted === true ? "delete" : "update";
  if (patch.deleted === true) company.is_deleted = true;
  if (patch.name !== undefined) company.name = patch.name;
  company.custom_fields_values = withCompanyFields(
    ctx,
    company.custom_fields_values,
    patch,
  );
  touch(company, ctx.nowSec(), adminUserId(ctx));
  sendWebhook(ctx, [companyHookPart(ctx, action, company)]);
}
