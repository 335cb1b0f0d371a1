import type { EmulatorContext } from "../context.js";
import { setField } from "../custom-fields.js";
import { findAdminUserId } from "../state.js";
import type { CustomFieldValue } from "../types.js";

/** Thrown for an admin call on something that does not exist. */
export class AdminInputError extends Error {
  readonly status = 404;
}

export function adminUserId(ctx: EmulatorContext): number {
  return findAdminUserId(ctx.state.seed);
}

export interface PhoneEmail {
  phone?: string | undefined;
  email?: string | undefined;
}

// Phones and e-mails are multitext fields PHONE/EMAIL (reference §3.4).
export function withPhoneEmail(
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
