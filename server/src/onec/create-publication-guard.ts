import { AppError } from "../errors.js";
import type { OdataClient } from "./create-odata-client.js";
import {
  findUnpublishedFields,
  type UnpublishedFields,
} from "./find-unpublished-fields.js";
import type { OdataMetadata } from "./parse-odata-metadata.js";
import {
  listProfileFields,
  type DealRowSettings,
} from "./profiles/list-profile-fields.js";
import type { OnecProfile } from "./profiles/types.js";

export interface PublicationGuard {
  /**
   * Throws a setup error unless every profile field of the set is published,
   * and `extra` ones such as columns a setting switches on.
   */
  assertWritable(entitySet: string, extra?: string[]): Promise<void>;
}

/**
 * Checks a set against $metadata before the first write to it, because 1C
 * ignores properties it does not know and the data would be lost silently
 * (reference onec §1.6). A passed check is remembered for the client's
 * lifetime; a failed one fetches $metadata anew first, because the admin
 * may have published the field since it was cached.
 */
export function createPublicationGuard(
  client: OdataClient,
  profile: OnecProfile,
  settings?: DealRowSettings,
): PublicationGuard {
  const required = listProfileFields(profile, settings);
  const checked = new Set<string>();

  return {
    async assertWritable(entitySet, extra = []) {
      const key = [entitySet, ...extra].join("\n");
      if (checked.has(key)) return;
      const wanted = new Map([
        [entitySet, [...(required.get(entitySet) ?? []), ...extra]],
      ]);
      const find = (metadata: OdataMetadata) =>
        findUnpublishedFields(metadata, wanted);
      let missing = find(await client.metadata());
      if (hasMissing(missing)) missing = find(await client.refreshMetadata());

      if (missing.entitySets.length > 0) {
        throw unpublishedSet(entitySet);
      }
      if (missing.fields.length > 0) throw unpublishedFields(missing.fields);
      checked.add(key);
    },
  };
}

function hasMissing(missing: UnpublishedFields): boolean {
  return missing.entitySets.length > 0 || missing.fields.length > 0;
}

function unpublishedSet(entitySet: string): AppError {
  return new AppError(
    "onec_entity_not_published",
    `1C does not publish ${entitySet} over OData: add it to the OData composition (data processor "Настройка стандартного интерфейса OData")`,
    { status: 502, source: "onec" },
  );
}

function unpublishedFields(fields: string[]): AppError {
  return new AppError(
    "onec_field_not_published",
    `1C's OData does not publish ${fields.join(", ")}; amo1c writes nothing until they are published, because 1C would drop the values silently. Check the configuration profile in the settings and the OData composition in 1C`,
    {
      status: 502,
      source: "onec",
      fields: Object.fromEntries(fields.map((f) => [f, "not published"])),
    },
  );
}
