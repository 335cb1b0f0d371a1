import type { OnecProfileName } from "../../../../shared/settings.js";
import { ONEC_PROFILE_LIST } from "./get-onec-profile.js";

/**
 * The configuration family a base belongs to, judged by the entity sets its
 * service document lists (reference onec §7.1); null when none fits, for instance when
 * the key objects are not published.
 */
export function detectProfile(
  entitySets: Iterable<string>,
): OnecProfileName | null {
  const published = new Set(entitySets);
  const match = ONEC_PROFILE_LIST.find(
    ({ detect }) =>
      detect.present.every((set) => published.has(set)) &&
      !detect.absent.some((set) => published.has(set)),
  );
  return match?.name ?? null;
}
