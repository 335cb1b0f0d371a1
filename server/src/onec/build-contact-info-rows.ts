import type { OdataEntity } from "./create-odata-client.js";
import { normalisePhone } from "./normalise-phone.js";
import type { ContactInfoLayout } from "./profiles/types.js";

export interface ContactInfoValues {
  phone?: string | undefined;
  email?: string | undefined;
}

export interface ContactInfoKindRefs {
  phone?: string | undefined;
  email?: string | undefined;
}

/**
 * Rows of the contact information section. The section always travels
 * whole with LineNumber 1..n (reference onec §1.7); both the text 1C shows
 * (Представление) and the structured column are filled (reference onec §2.2).
 */
export function buildContactInfoRows(
  layout: ContactInfoLayout,
  values: ContactInfoValues,
  kinds: ContactInfoKindRefs,
): OdataEntity[] {
  const { columns, types } = layout;
  const rows: OdataEntity[] = [];
  const phone = values.phone?.trim();
  const email = values.email?.trim();

  if (phone && kinds.phone) {
    rows.push({
      [columns.type]: types.phone,
      [columns.kind]: kinds.phone,
      [columns.presentation]: phone,
      [columns.phone]: normalisePhone(phone) ?? phone,
    });
  }
  if (email && kinds.email) {
    rows.push({
      [columns.type]: types.email,
      [columns.kind]: kinds.email,
      [columns.presentation]: email,
      [columns.email]: email,
    });
  }
  return numberRows(rows);
}

/** LineNumber 1..n, as 1C writes Int64 values: strings (reference onec §1.4). */
export function numberRows(rows: OdataEntity[]): OdataEntity[] {
  return rows.map((row, index) => ({ ...row, LineNumber: String(index + 1) }));
}
