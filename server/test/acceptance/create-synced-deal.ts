import type { DealView } from "../../../shared/deal-view.js";
import type { Stand } from "../../../scripts/stand/start-stand.js";
import { ranSince, waitForDeal } from "./stand-client.js";

export interface NewDeal {
  name: string;
  price: number;
  /** The deal's main contact. */
  contactName: string;
  company?: { name: string; inn: string } | undefined;
}

/**
 * Creates the deal in the amoCRM emulator, whose webhook makes amo1c sync
 * it, and returns the deal view once that run succeeded.
 */
export async function createSyncedDeal(
  stand: Stand,
  deal: NewDeal,
): Promise<DealView> {
  const contact = stand.amocrm.createContact({ name: deal.contactName });
  const companyId =
    deal.company === undefined
      ? undefined
      : stand.amocrm.createCompany(deal.company);
  const since = new Date().toISOString();

  const dealId = stand.amocrm.createLead({
    name: deal.name,
    price: deal.price,
    contacts: [{ id: contact, is_main: true }],
    ...(companyId === undefined ? {} : { companyId }),
  });
  return waitForDeal(stand, dealId, ranSince(since, "ok"));
}
