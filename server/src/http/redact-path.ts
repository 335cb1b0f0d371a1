// Query parameters that carry a credential: amoCRM's OAuth callback brings
// the authorization code and `state` (reference amocrm §1.2), and any name
// mentioning a token, secret or password is treated the same.
const SECRET_QUERY_VALUE =
  /([?&](?:code|state|[^=&#]*(?:token|secret|password)[^=&#]*)=)[^&#]*/gi;

/**
 * Every logged URL or path passes through here. Webhook URLs carry their
 * secret in the path (amoCRM signs nothing, so the path is the
 * credential); the OAuth callback carries the code in its query.
 */
export function redactPath(path: string): string {
  return path
    .replace(/(\/amocrm\/webhooks\/)[^/?#]+/, "$1[redacted]")
    .replace(SECRET_QUERY_VALUE, "$1[redacted]");
}
