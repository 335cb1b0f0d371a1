import { AppError } from "../errors.js";

const GUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAIVE_DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** A 1C reference in a filter: `guid'…'`. */
export interface OdataGuid {
  kind: "guid";
  value: string;
}

/** A naive wall-clock date-time in a filter: `datetime'…'`. */
export interface OdataDateTime {
  kind: "datetime";
  value: string;
}

/** A reference compared with a composite field: `cast(guid'…','Catalog_X')`. */
export interface OdataCast {
  kind: "cast";
  value: string;
  entitySet: string;
}

export type OdataLiteralValue =
  string | number | boolean | OdataGuid | OdataDateTime | OdataCast;

export function guid(value: string): OdataGuid {
  return { kind: "guid", value: requireGuid(value) };
}

export function dateTime(value: string): OdataDateTime {
  if (!NAIVE_DATE_TIME_PATTERN.test(value)) {
    throw new AppError(
      "bad_request",
      `"${value}" is not a 1C date-time; expected YYYY-MM-DDTHH:mm:ss`,
    );
  }
  return { kind: "datetime", value };
}

export function cast(value: string, entitySet: string): OdataCast {
  return { kind: "cast", value: requireGuid(value), entitySet };
}

export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}

/**
 * Writes a value as an OData v3 literal the way 1C parses it: strings in
 * single quotes with `'` doubled, `guid'…'` and `datetime'…'` for references
 * and dates, and plain decimals because 1C rejects exponent notation such as
 * 1e-7 with HTTP 400 (reference onec §1.5).
 */
export function formatOdataLiteral(value: OdataLiteralValue): string {
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return formatOdataNumber(value);
  if (value.kind === "guid") return `guid'${value.value}'`;
  if (value.kind === "datetime") return `datetime'${value.value}'`;
  return `cast(guid'${value.value}', ${formatOdataLiteral(value.entitySet)})`;
}

function formatOdataNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new AppError("bad_request", `${value} cannot be sent to 1C`);
  }
  // toLocaleString never switches to exponent notation, unlike String().
  return value.toLocaleString("en-US", {
    useGrouping: false,
    maximumFractionDigits: 20,
  });
}

function requireGuid(value: string): string {
  if (!isGuid(value)) {
    throw new AppError(
      "bad_request",
      `"${value}" is not a 1C reference; expected a GUID`,
    );
  }
  return value.toLowerCase();
}
