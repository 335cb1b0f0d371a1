import {
  OdataError,
  badRequestFormat,
  entityNotFound,
  httpMethodNotAllowed,
  invalidUrl,
  methodArgumentMissing,
  methodNotFound,
  renderJsonError,
  renderXmlError,
  tabularRowsCreation,
} from "./errors.js";
import { GUID_PATTERN } from "./metadata/wire-values.js";
import {
  applyQuery,
  compileSelect,
  countMatches,
  parseQueryString,
  readQueryOptions,
} from "./query.js";
import {
  entityUrl,
  renderAtomCollection,
  renderAtomEntry,
  renderJsonCollection,
  renderJsonEntity,
  renderServiceDocument,
} from "./render/render-entities.js";
import type { ResponseFormat } from "./render/render-entities.js";
import { renderMetadata } from "./render/render-metadata.js";
import { publishedSets, resolveEntitySet } from "./resolve-entity-set.js";
import type { ResolvedSet } from "./resolve-entity-set.js";
import type { OnecStore } from "./state.js";
import type { Entity } from "./types.js";

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

interface ParsedRequest extends OdataRequest {
  params: Map<string, string>;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface OdataContext {
  store: OnecStore;
  published: string[] | undefined;
}

const JSON_TYPE = "application/json;odata=minimalmetadata;charset=utf-8";
const XML_TYPE = "application/xml;charset=utf-8";
const ATOM_FEED_TYPE = "application/atom+xml;type=feed;charset=utf-8";
const ATOM_ENTRY_TYPE = "application/atom+xml;type=entry;charset=utf-8";
const RESOURCE = /^([^/(]+)(?:\(([^)]*)\))?(?:\/(.+))?$/;
const KEY = /^(?:Ref_Key=)?guid'([^']*)'$/;

/** Answers one authenticated OData request the way 1C's standard interface does. */
export function handleOdataRequest(
  context: OdataContext,
  request: OdataRequest,
): WireResponse {
  let format: ResponseFormat = { kind: "json", metadata: true };
  try {
    const parsed = { ...request, params: parseQueryString(request.rawQuery) };
    format = chooseFormat(parsed);
    return dispatch(context, parsed, format);
  } catch (error) {
    if (!(error instanceof OdataError)) throw error;
    const json = format.kind === "json";
    return {
      status: error.status,
      headers: { "Content-Type": json ? JSON_TYPE : XML_TYPE },
      body: json ? renderJsonError(error) : renderXmlError(error),
    };
  }
}

/** JSON only on `$format=json` or `Accept: application/json`; Atom otherwise (reference onec §1.1). */
function chooseFormat(request: ParsedRequest): ResponseFormat {
  const format = request.params.get("$format");
  if (format === undefined) {
    const json = request.accept?.includes("application/json") ?? false;
    return json ? { kind: "json", metadata: true } : { kind: "atom" };
  }
  if (format === "json" || format.startsWith("application/json")) {
    return { kind: "json", metadata: !format.includes("odata=nometadata") };
  }
  if (
    format === "atom" ||
    format === "xml" ||
    format.startsWith("application/atom+xml")
  ) {
    return { kind: "atom" };
  }
  throw new OdataError(
    406,
    "3",
    `Запрошенное представление не поддерживается: ${format}`,
  );
}

function dispatch(
  context: OdataContext,
  request: ParsedRequest,
  format: ResponseFormat,
): WireResponse {
  const base = context.store.base(request.base);
  if (!base) throw invalidUrl();
  const sets = publishedSets(base, context.published);

  if (request.resource === "") {
    requireMethod(request, "GET");
    const names = sets.flatMap((set) => [
      set.name,
      ...set.tabularSections.map((s) => `${set.name}_${s.name}`),
    ]);
    return answer(
      200,
      format.kind === "json" ? JSON_TYPE : XML_TYPE,
      renderServiceDocument(request.serviceUrl, names, format),
    );
  }
  if (request.resource === "$metadata") {
    requireMethod(request, "GET");
    return answer(200, XML_TYPE, renderMetadata(sets));
  }

  const match = RESOURCE.exec(request.resource);
  if (!match) throw invalidUrl();
  const [, setName = "", key, tail] = match;
  const target = resolveEntitySet(sets, setName);
  const handler: Target = { context, request, format, target };

  if (key === undefined) return handleCollection(handler, tail);
  const ref = parseKey(key);
  if (tail === undefined) return handleEntity(handler, ref);
  return handlePosting(handler, ref, tail);
}

interface Target {
  context: OdataContext;
  request: ParsedRequest;
  format: ResponseFormat;
  target: ResolvedSet;
}

function handleCollection(
  handler: Target,
  tail: string | undefined,
): WireResponse {
  const { request, target } = handler;
  const objects = listObjects(handler);

  if (tail === "$count") {
    requireMethod(request, "GET");
    const count = countMatches(
      objects,
      target.meta,
      request.params.get("$filter"),
    );
    return answer(200, "text/plain;charset=utf-8", String(count));
  }
  if (tail !== undefined) throw invalidUrl();

  if (request.method === "POST") {
    // rows are written only inside their object (reference onec §1.7)
    if (target.rowsOf) throw tabularRowsCreation();
    const entity = handler.context.store.create(
      request.base,
      target.meta.name,
      parseBody(request.body),
    );
    return entityAnswer(handler, entity, 201);
  }
  requireMethod(request, "GET");

  const result = applyQuery(
    objects,
    target.meta,
    readQueryOptions(request.params),
  );
  const view = { serviceUrl: request.serviceUrl, meta: target.meta, ...result };
  return handler.format.kind === "json"
    ? answer(
        200,
        JSON_TYPE,
        renderJsonCollection(view, handler.format.metadata),
      )
    : answer(200, ATOM_FEED_TYPE, renderAtomCollection(view));
}

function listObjects(handler: Target): Entity[] {
  const { store } = handler.context;
  const { base } = handler.request;
  const { rowsOf, meta } = handler.target;
  if (!rowsOf) return store.list(base, meta.name);
  return store
    .list(base, rowsOf.parent.name)
    .flatMap(
      (entity) => (entity[rowsOf.section.name] as Entity[] | undefined) ?? [],
    );
}

function handleEntity(handler: Target, ref: string): WireResponse {
  const { context, request, target } = handler;
  // TODO(#4): single rows of a row set (Ref_Key=…,LineNumber=n) are not addressable.
  if (target.rowsOf) throw invalidUrl();
  const address = { base: request.base, set: target.meta.name, ref };

  switch (request.method) {
    case "GET": {
      const entity = context.store.get(address.base, address.set, ref);
      if (!entity) throw entityNotFound();
      const select = compileSelect(request.params.get("$select"), target.meta);
      return entityAnswer(handler, select(entity), 200);
    }
    case "PATCH":
    case "PUT":
    case "MERGE": {
      const body = parseBody(request.body);
      const entity = context.store.update(
        address,
        body,
        request.method === "PUT",
      );
      return entityAnswer(handler, entity, 200);
    }
    case "DELETE":
      context.store.remove(address.base, address.set, ref);
      return answer(204, undefined, "");
    default:
      throw httpMethodNotAllowed();
  }
}

/** `POST …(guid'…')/Post?PostingModeOperational=false` and `/Unpost` (reference onec §1.9). */
function handlePosting(
  handler: Target,
  ref: string,
  tail: string,
): WireResponse {
  const { context, request, target } = handler;
  if (
    target.meta.kind !== "Document" ||
    target.rowsOf ||
    (tail !== "Post" && tail !== "Unpost")
  ) {
    throw methodNotFound(tail);
  }
  requireMethod(request, "POST");

  if (tail === "Post") {
    const operational = request.params.get("PostingModeOperational");
    if (operational === undefined)
      throw methodArgumentMissing("PostingModeOperational");
  }
  context.store.setPosted(request.base, target.meta.name, ref, tail === "Post");
  return answer(200, undefined, "");
}

function entityAnswer(
  handler: Target,
  entity: Entity,
  status: number,
): WireResponse {
  const { request, target, format } = handler;
  const view = { serviceUrl: request.serviceUrl, meta: target.meta, entity };
  const response =
    format.kind === "json"
      ? answer(status, JSON_TYPE, renderJsonEntity(view, format.metadata))
      : answer(status, ATOM_ENTRY_TYPE, renderAtomEntry(view));
  if (status === 201) {
    response.headers.Location = entityUrl(
      request.serviceUrl,
      target.meta.name,
      entity.Ref_Key,
    );
  }
  return response;
}

function parseKey(key: string): string {
  const match = KEY.exec(key);
  const ref = match?.[1];
  if (!ref || !GUID_PATTERN.test(ref)) throw invalidUrl();
  return ref.toLowerCase();
}

function parseBody(body: string): Entity {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badRequestFormat("тело запроса не является JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequestFormat("ожидался объект JSON");
  }
  return parsed as Entity;
}

function requireMethod(request: OdataRequest, method: string): void {
  if (request.method !== method) throw httpMethodNotAllowed();
}

function answer(
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
