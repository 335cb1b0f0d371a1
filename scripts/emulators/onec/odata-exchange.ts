import type { Composition } from "./control.js";
import { httpMethodNotAllowed } from "./errors.js";
import type { OnecStore } from "./state.js";

// The request and answer shapes shared by the OData handlers.

export interface OdataRequest {
  method: string;
  base: string;
  /** Decoded path after `standard.odata/`, e.g. `Catalog_X(guid'…')/Post`. */
  resource: string;
  /** The query string as sent, still percent-encoded. */
  rawQuery: string;
  accept: string | undefined;
  body: string;
  /** `http://host/<base>/odata/standard.odata`, for links in answers. */
  serviceUrl: string;
}

export interface ParsedRequest extends OdataRequest {
  params: Map<string, string>;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface OdataContext {
  store: OnecStore;
  composition: Composition;
}

export const JSON_TYPE = "application/json;odata=minimalmetadata;charset=utf-8";
export const XML_TYPE = "application/xml;charset=utf-8";
export const ATOM_FEED_TYPE = "application/atom+xml;type=feed;charset=utf-8";
export const ATOM_ENTRY_TYPE = "application/atom+xml;type=entry;charset=utf-8";

export function requireMethod(request: ParsedRequest, method: string): void {
  if (request.method !== method) throw httpMethodNotAllowed();
}

export function answer(
  status: number,
  contentType: string | undefined,
  body: string,
): WireResponse {
  return {
    status,
    headers: contentType ? { "Content-Type": contentType } : {},
    body,
  };
}
