import { touch } from "../change-lead-links.js";
import type { EmulatorContext } from "../context.js";
import { contactHookPart, sendWebhook } from "../send-webhook.js";
import { allocateId, findContact } from "../state.js";
import type { ContactRecord } from "../types.js";
import type { PhoneEmail } from "./admin-common.js";
import {
  AdminInputError,
  adminUserId,
  withPhoneEmail,
} from "./admin-common.js";

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
  sendWebhook(ctx, [contactHookPart(ctx, "add", contact)]);
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
    sendWebhook(ctx, [contactHookPart(ctx, "delete", contact)]);
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
  sendWebhook(ctx, [contactHookPart(ctx, "update", contact)]);
}
