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
 * (reference onec §6). The server searches for the longest bracket-free piece; the
 * exact marker is then checked on the answer.
 */
export function buildMarkerFilter(marker: string, field: string): MarkerFilter {
  const pieces = marker.split(/[[\]]/);
  const longest = pieces.reduce((a, b) => (b.length > a.length ? b : a), "");
  return {
    filter: substringof(longest, field),
    matches: (value) => typeof value === "string" && holdsMarker(value, marker),
  };
}

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * The marker occurs as a whole: "deal:42" is not found inside "deal:421".
 */
function holdsMarker(text: string, marker: string): boolean {
  for (
    let at = text.indexOf(marker);
    at >= 0;
    at = text.indexOf(marker, at + 1)
  ) {
    const before = text.slice(0, at).slice(-1);
    const after = text.charAt(at + marker.length);
    const startsWord = WORD_CHARACTER.test(marker.charAt(0));
    const endsWord = WORD_CHARACTER.test(marker.slice(-1));
    const clearBefore = !startsWord || !WORD_CHARACTER.test(before);
    const clearAfter = !endsWord || !WORD_CHARACTER.test(after);
    if (clearBefore && clearAfter) return true;
  }
  return false;
}
