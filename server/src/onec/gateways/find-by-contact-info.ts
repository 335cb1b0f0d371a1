import { and, anyRow, eq, or, substringof } from "../build-odata-filter.js";
import type { OdataEntity } from "../create-odata-client.js";
import {
  isSamePhone,
  localPhoneSearchKey,
  normalisePhone,
  phoneSearchKey,
} from "../normalise-phone.js";
import type { ContactInfoLayout } from "../profiles/types.js";

/** A search for catalog objects: a $filter, optionally confirmed in amo1c. */
export interface ObjectSearch {
  /** $filter condition: the object has a matching row. */
  filter: string;
  /**
   * Confirms a candidate in amo1c, for matches 1C cannot express; the
   * candidate must then be read with the section.
   */
  accept?: ((row: OdataEntity) => boolean) | undefined;
  /** Section columns `accept` reads, for $select. */
  select?: string[] | undefined;
}

const ROW = "c";

/** Objects with this e-mail in the section (АдресЭП or its text). */
export function searchByEmail(
  layout: ContactInfoLayout,
  email: string,
): ObjectSearch | null {
  const address = email.trim();
  if (!address) return null;
  const { columns, types } = layout;
  const condition = and(
    eq(`${ROW}/${columns.type}`, types.email),
    or(
      eq(`${ROW}/${columns.email}`, address),
      eq(`${ROW}/${columns.presentation}`, address),
    ),
  );
  return { filter: anyRow(layout.section, ROW, condition) };
}

/**
 * Objects with this phone. 1C cannot strip formatting in a filter, so the
 * server narrows by the national number inside НомерТелефона or the text,
 * or by the local number's end in НомерТелефонаБезКодов, and amo1c
 * compares the digits (reference onec §6).
 */
export function searchByPhone(
  layout: ContactInfoLayout,
  phone: string,
): ObjectSearch | null {
  const digits = normalisePhone(phone);
  if (!digits) return null;
  const key = phoneSearchKey(digits);
  const { columns, types, localPhone } = layout;
  const condition = and(
    eq(`${ROW}/${columns.type}`, types.phone),
    or(
      substringof(key, `${ROW}/${columns.phone}`),
      substringof(key, `${ROW}/${columns.presentation}`),
      ...(localPhone
        ? [substringof(localPhoneSearchKey(digits), `${ROW}/${localPhone}`)]
        : []),
    ),
  );
  return {
    filter: anyRow(layout.section, ROW, condition),
    accept: (row) => hasPhone(row, layout, phone),
    // Columns one by one: the documented $select form for a section.
    select: [columns.type, columns.phone, columns.presentation].map(
      (column) => `${layout.section}/${column}`,
    ),
  };
}

function hasPhone(
  row: OdataEntity,
  layout: ContactInfoLayout,
  phone: string,
): boolean {
  const rows = row[layout.section];
  if (!Array.isArray(rows)) return false;
  const { columns, types } = layout;
  return (rows as OdataEntity[]).some(
    (r) =>
      r[columns.type] === types.phone &&
      [r[columns.phone], r[columns.presentation]].some(
        (value) => typeof value === "string" && isSamePhone(value, phone),
      ),
  );
}
