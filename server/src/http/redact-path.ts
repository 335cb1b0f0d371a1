/**
 * Webhook URLs carry their secret in the path (amoCRM signs nothing, so the
 * path is the credential); every logged URL or path passes through here.
 */
export function redactPath(path: string): string {
  return path.replace(/(\/amocrm\/webhooks\/)[^/?#]+/, "$1[redacted]");
}
