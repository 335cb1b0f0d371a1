import type { ExchangeSettings } from "../../../shared/settings.js";
import type { AmoCompany, AmoContact, AmoLead } from "../amocrm/api-types.js";
import { readCompanyTaxIds } from "./read-company-tax-ids.js";

/** Where a deal's counterparty comes from, decided from amoCRM data alone. */
export type CounterpartySource =
  | {
      kind: "company";
      company: AmoCompany;
      inn: string | null;
      kpp: string | null;
    }
  | { kind: "contact"; contact: AmoContact }
  | { kind: "none"; reason: string };

export interface DealSnapshot {
  lead: AmoLead | null;
  /** The deal's contacts, main contact first. */
  contacts: AmoContact[];
  company: AmoCompany | null;
}

/**
 * Rules 1, 2 and 6 of the exchange: a company wins; a contact-only deal uses
 * its main contact while "Create counterparties when loading deals" is on;
 * a deleted deal, or one with neither, gets nothing.
 */
export function decideCounterpartySource(
  deal: DealSnapshot,
  settings: ExchangeSettings,
): CounterpartySource {
  const { lead, contacts, company } = deal;

  if (!lead || lead.isDeleted) {
    return {
      kind: "none",
      reason: "The deal is deleted in amoCRM or no longer exists",
    };
  }

  if (company) {
    const { inn, kpp } = readCompanyTaxIds(company, settings);
    return { kind: "company", company, inn, kpp };
  }

  const main = contacts[0];
  if (!main) {
    return {
      kind: "none",
      reason:
        "The deal has neither a company nor a contact: link one in amoCRM",
    };
  }

  // Rule 2 taken literally: with the setting off a contact-only deal gets
  // no counterparty at all, not even one 1C holds with the contact's phone.
  if (!settings.createCounterpartiesFromContacts) {
    return {
      kind: "none",
      reason:
        'The deal has only a contact and "Create counterparties when ' +
        'loading deals" is off: turn it on or link a company to the deal',
    };
  }

  return { kind: "contact", contact: main };
}

/** Orders a lead's contacts main first, keeping amoCRM's order otherwise. */
export function orderContactsMainFirst(
  lead: AmoLead,
  contacts: AmoContact[],
): AmoContact[] {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const ordered = [...lead.contacts].sort(
    (a, b) => Number(b.isMain) - Number(a.isMain),
  );
  return ordered
    .map((link) => byId.get(link.id))
    .filter((c): c is AmoContact => !!c);
}
