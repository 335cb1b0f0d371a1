import { AppError } from "../errors.js";
import { and, or } from "./build-odata-filter.js";
import { isGuid } from "./format-odata-literal.js";

/**
 * IIS rejects query strings over 2048 bytes with an HTML 404 instead of an
 * OData error; a 1.5 KB budget leaves room for proxies (reference onec §1.5).
 */
export const MAX_QUERY_STRING_BYTES = 1500;

export interface OdataResource {
  /** Entity set name, such as Catalog_Контрагенты; omitted for the root. */
  entitySet?: string | undefined;
  /** Ref_Key of one object: `Catalog_X(guid'…')`. */
  key?: string | undefined;
  /** Further path segments, such as "$metadata", "$count" or "Post". */
  path?: string[] | undefined;
}

export interface OdataQuery {
  filter?: string | undefined;
  /**
   * Alternatives OR-ed together and AND-ed with `filter`. When the query
   * string would grow past the budget they are split over several requests.
   */
  anyOf?: string[] | undefined;
  select?: string[] | undefined;
  orderby?: string | undefined;
  top?: number | undefined;
  skip?: number | undefined;
  /** Other parameters, such as PostingModeOperational. */
  params?: Record<string, string> | undefined;
  /** Adds $format=json (default true; $metadata is XML only). */
  json?: boolean | undefined;
}

/**
 * Builds one 1C OData URL. Every path segment and query value is
 * percent-encoded as UTF-8 with spaces as %20: 1C does not decode `+` inside
 * $filter and answers 400 (reference onec §1.1).
 */
export function buildOdataUrl(
  root: string,
  resource: OdataResource,
  query: OdataQuery = {},
): string {
  const anyOf = query.anyOf ?? [];
  const filter = joinFilter(query.filter, anyOf);
  return `${buildPath(root, resource)}${buildQueryString({ ...query, filter })}`;
}

/**
 * Builds as few URLs as possible so that each query string stays within
 * maxBytes, splitting the `anyOf` alternatives between them. A single
 * alternative that alone exceeds the budget still gets its own URL.
 */
export function buildOdataUrls(
  root: string,
  resource: OdataResource,
  query: OdataQuery,
  maxBytes = MAX_QUERY_STRING_BYTES,
): string[] {
  const anyOf = query.anyOf ?? [];
  if (anyOf.length === 0) return [buildOdataUrl(root, resource, query)];

  const path = buildPath(root, resource);
  const queryFor = (terms: string[]) =>
    buildQueryString({ ...query, filter: joinFilter(query.filter, terms) });

  const urls: string[] = [];
  let batch: string[] = [];
  for (const term of anyOf) {
    const candidate = [...batch, term];
    if (batch.length > 0 && queryFor(candidate).length - 1 > maxBytes) {
      urls.push(path + queryFor(batch));
      batch = [term];
    } else {
      batch = candidate;
    }
  }
  urls.push(path + queryFor(batch));
  return urls;
}

/** The root as the URL parser normalises it, without a trailing slash. */
export function normaliseOdataRoot(root: string): string {
  return new URL(root).href.replace(/\/+$/, "");
}

function buildPath(root: string, resource: OdataResource): string {
  let path = normaliseOdataRoot(root);
  if (resource.entitySet) {
    path += `/${encodeURIComponent(resource.entitySet)}`;
    if (resource.key !== undefined) path += `(guid'${checkKey(resource.key)}')`;
  }
  for (const segment of resource.path ?? []) {
    // "$" is legal in a path segment and 1C expects $metadata / $count as is.
    path += `/${encodeURIComponent(segment).replaceAll("%24", "$")}`;
  }
  return path;
}

function buildQueryString(query: OdataQuery): string {
  const pairs: Array<[string, string]> = [];
  if (query.filter) pairs.push(["$filter", query.filter]);
  if (query.select?.length) pairs.push(["$select", query.select.join(",")]);
  if (query.orderby) pairs.push(["$orderby", query.orderby]);
  if (query.top !== undefined) pairs.push(["$top", String(query.top)]);
  if (query.skip !== undefined) pairs.push(["$skip", String(query.skip)]);
  for (const [name, value] of Object.entries(query.params ?? {})) {
    pairs.push([name, value]);
  }
  if (query.json ?? true) pairs.push(["$format", "json"]);

  if (pairs.length === 0) return "";
  const encoded = pairs.map(
    ([name, value]) => `${name}=${encodeURIComponent(value)}`,
  );
  return `?${encoded.join("&")}`;
}

function joinFilter(
  filter: string | undefined,
  anyOf: string[],
): string | undefined {
  if (anyOf.length === 0) return filter;
  return and(filter, or(...anyOf));
}

function checkKey(key: string): string {
  if (!isGuid(key)) {
    throw new AppError(
      "bad_request",
      `"${key}" is not a 1C reference; expected a GUID`,
    );
  }
  return key.toLowerCase();
}
