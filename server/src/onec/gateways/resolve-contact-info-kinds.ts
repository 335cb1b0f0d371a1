import type {
  ContactInfoKindRefs,
  ContactInfoValues,
} from "../build-contact-info-rows.js";
import type { ContactInfoKinds } from "../profiles/types.js";
import type { GatewayContext } from "./gateway-context.js";

/** Ref_Keys of the kinds needed for the values actually given. */
export async function resolveContactInfoKinds(
  ctx: GatewayContext,
  kinds: ContactInfoKinds,
  values: ContactInfoValues,
): Promise<ContactInfoKindRefs> {
  const refs: ContactInfoKindRefs = {};
  if (values.phone?.trim()) {
    refs.phone = await ctx.contactKinds.refOf(kinds.phone);
  }
  if (values.email?.trim()) {
    refs.email = await ctx.contactKinds.refOf(kinds.email);
  }
  return refs;
}
