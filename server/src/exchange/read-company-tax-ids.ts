import type { ExchangeSettings } from "../../../shared/settings.js";
import type { AmoCompany } from "../amocrm/api-types.js";

/**
 * INN and KPP of an amoCRM company. amoCRM has no standard INN field
 * (reference amocrm §3.4), so the field ids come from the settings; values
 * are reduced to digits and checked for a plausible length.
 */
export function readCompanyTaxIds(
  company: AmoCompany,
  settings: ExchangeSettings,
): { inn: string | null; kpp: string | null } {
  const inn = digitsOf(company, settings.innFieldId);
  const kpp = digitsOf(company, settings.kppFieldId);
  return {
    // Legal entities have 10 digits, sole proprietors and persons 12.
    inn: inn && (inn.length === 10 || inn.length === 12) ? inn : null,
    kpp: kpp && kpp.length === 9 ? kpp : null,
  };
}

function digitsOf(company: AmoCompany, fieldId: number | null): string | null {
  if (fieldId === null) return null;
  const field = company.customFields.find((f) => f.fieldId === fieldId);
  const raw = field?.values[0]?.value ?? "";
  const digits = raw.replace(/\D/g, "");
  return digits === "" ? null : digits;
}
