import type { AmoLead } from "../amocrm/api-types.js";

/** The marker amo1c writes into 1C objects it creates for a deal. */
export function orderMarker(dealId: number): string {
  return `amo1c:lead:${dealId}`;
}

export function contactMarker(contactId: number): string {
  return `amo1c:contact:${contactId}`;
}

export function companyMarker(companyId: number): string {
  return `amo1c:company:${companyId}`;
}

/** The order comment: links back to the deal so a 1C user can find it. */
export function orderComment(lead: AmoLead, accountUrl: string): string {
  return `amoCRM deal #${lead.id} «${lead.name}» ${accountUrl}/leads/detail/${lead.id} [${orderMarker(lead.id)}]`;
}
