import {
  parseOdataMetadata,
  type OdataMetadata,
} from "./parse-odata-metadata.js";

export interface MetadataCache {
  get(): Promise<OdataMetadata>;
}

/**
 * $metadata of a fully published base is about 15 MB (reference onec §1.12), so it is
 * fetched once; concurrent callers share one request, and a failed fetch is
 * forgotten so the next call tries again.
 */
// TODO(#4): the cache lives as long as the client; fields published after a 1C update are seen only by a new client.
export function createMetadataCache(
  fetchXml: () => Promise<string>,
): MetadataCache {
  let pending: Promise<OdataMetadata> | null = null;
  return {
    get() {
      pending ??= fetchXml()
        .then(parseOdataMetadata)
        .catch((error: unknown) => {
          pending = null;
          throw error;
        });
      return pending;
    },
  };
}
