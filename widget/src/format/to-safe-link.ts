/** The URL when it is a plain http(s) link, so `javascript:` never lands in href. */
export function toSafeLink(url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  return /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
}
