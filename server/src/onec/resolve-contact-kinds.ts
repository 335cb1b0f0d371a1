import { AppError } from "../errors.js";
import { eq } from "./build-odata-filter.js";
import type { OdataClient } from "./create-odata-client.js";
import type { OnecProfile } from "./profiles/types.js";

export interface ContactKindResolver {
  /** Ref_Key of the predefined contact information kind with that name. */
  refOf(predefinedName: string): Promise<string>;
}

/**
 * Looks up the profile's predefined contact information kinds once, in one
 * request, by PredefinedDataName (reference onec §2.2).
 */
export function createContactKindResolver(
  client: OdataClient,
  profile: OnecProfile,
): ContactKindResolver {
  let pending: Promise<Map<string, string>> | null = null;

  async function load(): Promise<Map<string, string>> {
    const names = profileContactKinds(profile);
    const rows = await client.list(profile.contactKindSet, {
      anyOf: names.map((name) => eq("PredefinedDataName", name)),
      select: ["Ref_Key", "PredefinedDataName"],
    });
    return new Map(
      rows.map((row) => [String(row.PredefinedDataName), String(row.Ref_Key)]),
    );
  }

  return {
    async refOf(predefinedName) {
      pending ??= load().catch((error: unknown) => {
        pending = null;
        throw error;
      });
      const ref = (await pending).get(predefinedName);
      if (!ref) throw missingKind(profile, predefinedName);
      return ref;
    },
  };
}

/** The PredefinedDataName values a profile writes. */
export function profileContactKinds(profile: OnecProfile): string[] {
  const { counterparty, contactPerson } = profile;
  return [
    ...new Set([
      ...Object.values(counterparty.contactKinds),
      ...Object.values(contactPerson.contactKinds),
    ]),
  ];
}

function missingKind(profile: OnecProfile, name: string): AppError {
  return new AppError(
    "onec_not_found",
    `1C has no predefined contact information kind "${name}" in ${profile.contactKindSet}: check that the base is ${profile.title}`,
    { status: 502, source: "onec" },
  );
}
