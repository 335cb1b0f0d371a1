import type { OnecProfileName } from "../../../../shared/settings.js";
import { BP30_PROFILE } from "./bp30.js";
import type { OnecProfile } from "./types.js";
import { UT11_PROFILE } from "./ut11.js";

export const ONEC_PROFILE_LIST: readonly OnecProfile[] = [
  UT11_PROFILE,
  BP30_PROFILE,
];

export function getOnecProfile(name: OnecProfileName): OnecProfile {
  return name === "ut11" ? UT11_PROFILE : BP30_PROFILE;
}
