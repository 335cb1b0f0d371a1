import type { Logger } from "../log.js";

/** Hosts a plain-http PUBLIC_URL is expected on: the demo, tests, a laptop. */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * amoCRM calls only https addresses (webhooks, the OAuth redirect), so an
 * http PUBLIC_URL on a real host is a setup mistake. It stays a warning, not
 * a refusal: a TLS proxy in front may be added after the first start.
 */
export function warnIfPublicUrlInsecure(publicUrl: string, log: Logger): void {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return;
  }
  if (url.protocol !== "http:" || LOCAL_HOSTS.has(url.hostname)) return;
  log.warn(
    { publicUrl },
    "PUBLIC_URL is http://, but amoCRM calls only https addresses: put a TLS proxy (nginx, Caddy) in front of amo1c and set PUBLIC_URL to its https:// address (docs/deploy.md)",
  );
}
