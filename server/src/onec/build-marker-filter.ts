import { substringof } from "./build-odata-filter.js";

export interface MarkerFilter {
  /** A $filter condition that finds every object holding the marker. */
  filter: string;
  /** Whether a field value really holds the marker. */
  matches(value: unknown): boolean;
}

/**
 * substringof becomes a ПОДОБНО (LIKE) search in 1C, where `[…]` is a
 * character class, so a marker such as "[amo1c:1]" would not find itself
 * (onec §6). The server searches for the longest bracket-free piece; the
 * exact marker is then checked on the answer.
 */
export function buildMarkerFilter(marker: string, field: string): MarkerFilter {
  const pieces = marker.split(/[[\]]/);
  const longest = pieces.reduce((a, b) => (b.length > a.length ? b : a), "");
  return {
    filter: substringof(longest, field),
    matches: (value) => typeof value === "string" && value.includes(marker),
  };
}
