import {
  badRequestFormat,
  entityNotFound,
  httpMethodNotAllowed,
  invalidUrl,
  methodNotFound,
  tabularRowsCreation,
} from "./errors.js";
import {
  ATOM_ENTRY_TYPE,
  ATOM_FEED_TYPE,
  JSON_TYPE,
  answer,
  requireMethod,
} from "./odata-exchange.js";
import type {
  OdataContext,
  ParsedRequest,
  WireResponse,
} from "./odata-exchange.js";
import {
  applyQuery,
  compileSelect,
  countMatches,
  readQueryOptions,
} from "./query.js";
import {
  entityUrl,
  renderAtomCollection,
  renderAtomEntry,
  renderJsonCollection,
  renderJsonEntity,
} from "./render/render-entities.js";
import type { ResponseFormat } from "./render/render-entities.js";
import { dropUnpublished, type ResolvedSet } from "./resolve-entity-set.js";
import type { Entity } from "./types.js";

/** A request resolved to one entity set or row set. */
export interface Target {
  context: OdataContext;
  request: ParsedRequest;
  format: ResponseFormat;
  target: ResolvedSet;
}

export function handleCollection(
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
      writableBody(handler),
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

export function handleEntity(handler: Target, ref: string): WireResponse {
  const { context, request, target } = handler;
  // Rows of a tabular section are not addressable one by one
  // (Ref_Key=…,LineNumber=n): amo1c always sends a section whole.
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
      const body = writableBody(handler);
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

/**
 * `POST …(guid'…')/Post?PostingModeOperational=false` and `/Unpost`; both
 * answer 200 without a body (reference onec §1.9). Clients also send the
 * flag in a JSON body or call `Post()`, so the parameter is not demanded.
 */
export function handlePosting(
  handler: Target,
  ref: string,
  tail: string,
): WireResponse {
  const { context, request, target } = handler;
  const action = tail.replace(/\(\)$/, "");
  if (
    target.meta.kind !== "Document" ||
    target.rowsOf ||
    (action !== "Post" && action !== "Unpost")
  ) {
    throw methodNotFound(tail);
  }
  requireMethod(request, "POST");

  const posted = action === "Post";
  context.store.setPosted(request.base, target.meta.name, ref, posted);
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

/** The sent object without the fields outside the OData composition. */
function writableBody({ context, request, target }: Target): Entity {
  return dropUnpublished(
    parseBody(request.body),
    target.meta.name,
    context.composition,
  );
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
