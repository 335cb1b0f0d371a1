import {
  parseOdataMetadata,
  type OdataMetadata,
} from "./parse-odata-metadata.js";

export interface MetadataCache {
  get(): Promise<OdataMetadata>;
  /** Fetches anew and keeps the result; concurrent callers share one fetch. */
  refresh(): Promise<OdataMetadata>;
}

/**
 * $metadata of a fully published base is about 15 MB (reference onec §1.12),
 * so it is fetched once and kept until refresh(); concurrent callers share
 * one request, and a failed fetch is forgotten so the next call tries again.
 */
export function createMetadataCache(
  fetchXml: () => Promise<string>,
): MetadataCache {
  let cached: Promise<OdataMetadata> | null = null;
  let refreshing: Promise<OdataMetadata> | null = null;

  function load(): Promise<OdataMetadata> {
    const loading = fetchXml()
      .then(parseOdataMetadata)
      .catch((error: unknown) => {
        if (cached === loading) cached = null;
        throw error;
      });
    cached = loading;
    return loading;
  }

  return {
    get: () => cached ?? load(),
    refresh() {
      refreshing ??= load().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
  };
}
