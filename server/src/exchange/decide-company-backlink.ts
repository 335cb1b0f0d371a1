import type { ExchangeSettings } from "../../../shared/settings.js";
import type { CounterpartyRecord } from "../onec/gateway-types.js";

export type CounterpartyOrigin = "company" | "contact" | "found";

/**
 * Rule 4: with the setting on, a deal without a company whose counterparty
 * came from 1C as a company gets that company in amoCRM. A counterparty made
 * from a contact never produces an amoCRM company.
 */
export function decideCompanyBacklink(options: {
  settings: ExchangeSettings;
  dealHasCompany: boolean;
  origin: CounterpartyOrigin;
  counterparty: CounterpartyRecord;
}): boolean {
  const { settings, dealHasCompany, origin, counterparty } = options;
  return (
    settings.createCompaniesInAmocrm &&
    !dealHasCompany &&
    origin === "found" &&
    counterparty.kind !== "person"
  );
}
