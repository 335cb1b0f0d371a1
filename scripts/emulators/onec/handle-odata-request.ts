import {
  OdataError,
  invalidUrl,
  renderJsonError,
  renderXmlError,
} from "./errors.js";
import {
  handleCollection,
  handleEntity,
  handlePosting,
} from "./handle-entity-set.js";
import type { Target } from "./handle-entity-set.js";
import { GUID_PATTERN } from "./metadata/wire-values.js";
import {
  JSON_TYPE,
  XML_TYPE,
  answer,
  requireMethod,
} from "./odata-exchange.js";
import type {
  OdataContext,
  OdataRequest,
  ParsedRequest,
  WireResponse,
} from "./odata-exchange.js";
import { parseQueryString } from "./query.js";
import { renderServiceDocument } from "./render/render-entities.js";
import type { ResponseFormat } from "./render/render-entities.js";
import { renderMetadata } from "./render/render-metadata.js";
import { publishedSets, resolveEntitySet } from "./resolve-entity-set.js";

export type { OdataContext, OdataRequest, WireResponse };

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
  const sets = publishedSets(base, context.composition);

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

function parseKey(key: string): string {
  const match = KEY.exec(key);
  const ref = match?.[1];
  if (!ref || !GUID_PATTERN.test(ref)) throw invalidUrl();
  return ref.toLowerCase();
}
