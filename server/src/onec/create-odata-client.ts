import { AppError, isAppError } from "../errors.js";
import {
  buildOdataUrl,
  buildOdataUrls,
  normaliseOdataRoot,
  type OdataQuery,
} from "./build-odata-url.js";
import {
  createOnecTransport,
  type OnecSendOptions,
  type OnecTransportOptions,
} from "./create-onec-transport.js";
import { createMetadataCache } from "./metadata-cache.js";
import type { OdataMetadata } from "./parse-odata-metadata.js";

export type OdataEntity = Record<string, unknown>;

export interface OdataClientOptions extends OnecTransportOptions {
  /** http(s)://host/base/odata/standard.odata */
  odataUrl: string;
}

export interface RequestOptions {
  /** Retry 502/503/504 and network errors (default true for reads). */
  retry?: boolean | undefined;
}

export interface OdataClient {
  readonly root: string;
  /** Entity set names from the service document. */
  listEntitySets(options?: RequestOptions): Promise<string[]>;
  /** Parsed $metadata, fetched once per client. */
  metadata(): Promise<OdataMetadata>;
  /** $metadata fetched anew, for when the OData composition may have changed. */
  refreshMetadata(): Promise<OdataMetadata>;
  /** Rows of an entity set; a long `anyOf` is split over several requests. */
  list(
    entitySet: string,
    query?: OdataQuery,
    options?: RequestOptions,
  ): Promise<OdataEntity[]>;
  /** One object by Ref_Key, or null when 1C does not have it. */
  get(
    entitySet: string,
    ref: string,
    query?: OdataQuery,
    options?: RequestOptions,
  ): Promise<OdataEntity | null>;
  /** POST; never retried here (createIdempotently makes it repeat-safe). */
  create(entitySet: string, body: OdataEntity): Promise<OdataEntity>;
  /** PATCH of the given fields only; repeat-safe, so retried. */
  update(
    entitySet: string,
    ref: string,
    body: OdataEntity,
  ): Promise<OdataEntity>;
  /** Runs fn with the client's retry policy for retryable AppErrors. */
  retry<T>(fn: () => Promise<T>, what: string): Promise<T>;
}

/** A thin client for 1C's standard OData interface (v3, JSON light). */
export function createOdataClient(options: OdataClientOptions): OdataClient {
  const root = normaliseOdataRoot(options.odataUrl);
  const transport = createOnecTransport(options);

  async function sendJson(request: OnecSendOptions, retry = true) {
    const run = async () => parseJson(await transport.send(request), request);
    const what = `${request.method} ${request.entitySet ?? "root"}`;
    return retry ? transport.retry(run, what) : run();
  }

  async function get(
    entitySet: string,
    ref: string,
    query: OdataQuery = {},
    requestOptions: RequestOptions = {},
  ): Promise<OdataEntity | null> {
    const url = buildOdataUrl(root, { entitySet, key: ref }, query);
    try {
      const entity = await sendJson(
        { method: "GET", url, entitySet },
        requestOptions.retry,
      );
      return readEntity(entity, entitySet);
    } catch (error) {
      if (isAppError(error) && error.code === "onec_not_found") return null;
      throw error;
    }
  }

  const metadataCache = createMetadataCache(() =>
    transport.retry(
      () =>
        transport.send({
          method: "GET",
          url: buildOdataUrl(root, { path: ["$metadata"] }, { json: false }),
          accept: "application/xml",
        }),
      "GET $metadata",
    ),
  );

  return {
    root,
    get,
    metadata: () => metadataCache.get(),
    refreshMetadata: () => metadataCache.refresh(),
    retry: (fn, what) => transport.retry(fn, what),

    async listEntitySets(requestOptions = {}) {
      const url = buildOdataUrl(root, {});
      const document = await sendJson(
        { method: "GET", url },
        requestOptions.retry,
      );
      return readServiceDocument(document);
    },

    async list(entitySet, query = {}, requestOptions = {}) {
      const urls = buildOdataUrls(root, { entitySet }, query);
      const rows: OdataEntity[] = [];
      for (const url of urls) {
        const page = await sendJson(
          { method: "GET", url, entitySet },
          requestOptions.retry,
        );
        rows.push(...readCollection(page, entitySet));
      }
      return urls.length > 1 ? dedupeByRef(rows) : rows;
    },

    async create(entitySet, body) {
      const url = buildOdataUrl(root, { entitySet });
      const entity = await sendJson(
        { method: "POST", url, entitySet, body },
        false,
      );
      return readEntity(entity, entitySet);
    },

    async update(entitySet, ref, body) {
      const url = buildOdataUrl(root, { entitySet, key: ref });
      const entity = await sendJson({ method: "PATCH", url, entitySet, body });
      // Some publications answer PATCH with 204 and no body.
      if (entity === null) return (await get(entitySet, ref)) ?? {};
      return readEntity(entity, entitySet);
    },
  };
}

function parseJson(text: string, request: OnecSendOptions): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badResponse(
      `1C answered ${request.method} ${request.entitySet ?? "root"} with invalid JSON`,
      error,
    );
  }
}

function readCollection(page: unknown, entitySet: string): OdataEntity[] {
  const value = (page as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) {
    throw badResponse(`1C's answer for ${entitySet} has no "value" list`);
  }
  return value as OdataEntity[];
}

function readEntity(entity: unknown, entitySet: string): OdataEntity {
  if (!entity || typeof entity !== "object" || Array.isArray(entity)) {
    throw badResponse(`1C's answer for ${entitySet} is not an object`);
  }
  return entity as OdataEntity;
}

function readServiceDocument(document: unknown): string[] {
  const value = (document as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) {
    throw badResponse("1C's service document has no list of entity sets");
  }
  return value
    .map((item: unknown) => {
      const entry = item as { name?: unknown; url?: unknown } | null;
      return String(entry?.name ?? entry?.url ?? "");
    })
    .filter((name) => name !== "");
}

/** A split query may return one object from two chunks. */
function dedupeByRef(rows: OdataEntity[]): OdataEntity[] {
  const seen = new Set<unknown>();
  return rows.filter((row) => {
    if (row.Ref_Key === undefined) return true;
    if (seen.has(row.Ref_Key)) return false;
    seen.add(row.Ref_Key);
    return true;
  });
}

function badResponse(message: string, cause?: unknown): AppError {
  return new AppError("onec_bad_response", message, {
    status: 502,
    source: "onec",
    cause,
  });
}
