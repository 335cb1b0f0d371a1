import { hasOdataField, type OdataMetadata } from "./parse-odata-metadata.js";

export interface UnpublishedFields {
  /** Entity sets missing from the OData composition. */
  entitySets: string[];
  /** "Set.Field" for fields the published sets lack. */
  fields: string[];
}

/** Which of the required sets and fields the base's $metadata lacks. */
export function findUnpublishedFields(
  metadata: OdataMetadata,
  required: Map<string, string[]>,
): UnpublishedFields {
  const result: UnpublishedFields = { entitySets: [], fields: [] };
  for (const [entitySet, fields] of required) {
    if (!metadata.entitySets.has(entitySet)) {
      result.entitySets.push(entitySet);
      continue;
    }
    for (const field of fields) {
      if (!hasOdataField(metadata, entitySet, field)) {
        result.fields.push(`${entitySet}.${field}`);
      }
    }
  }
  return result;
}
