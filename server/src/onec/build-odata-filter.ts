import {
  formatOdataLiteral,
  type OdataLiteralValue,
} from "./format-odata-literal.js";

/**
 * Small builders for 1C `$filter` expressions. Field names go in as they are
 * (Cyrillic included); values always pass through formatOdataLiteral, so no
 * user text can end a literal early.
 */

export function eq(field: string, value: OdataLiteralValue): string {
  return `${field} eq ${formatOdataLiteral(value)}`;
}

/** 1C takes the substring first: `substringof('part', Field)` (reference onec §1.5). */
export function substringof(part: string, field: string): string {
  return `substringof(${formatOdataLiteral(part)}, ${field})`;
}

/** Rows of a tabular section matching a condition written over `alias/…`. */
export function anyRow(
  section: string,
  alias: string,
  condition: string,
): string {
  return `${section}/any(${alias}: ${condition})`;
}

export function and(...parts: Array<string | undefined>): string {
  return join(parts, "and");
}

export function or(...parts: Array<string | undefined>): string {
  return join(parts, "or");
}

function join(parts: Array<string | undefined>, operator: string): string {
  const present = parts.filter((p): p is string => !!p);
  if (present.length === 1) return present[0] ?? "";
  return present.map(wrapCompound).join(` ${operator} `);
}

// Parentheses only where precedence could change the meaning; a literal that
// merely contains " or " gets harmless extra ones.
function wrapCompound(part: string): string {
  return / (and|or) /.test(part) ? `(${part})` : part;
}
