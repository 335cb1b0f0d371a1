import { randomBytes } from "node:crypto";

import type { SecretStore } from "../storage/secret-store.js";

/** The path amoCRM posts to; the installation's secret follows it. */
export const WEBHOOK_PATH = "/amocrm/webhooks";
const SECRET_BYTES = 32;

/**
 * Returns the installation's webhook secret, creating it on first call.
 * CRM webhooks carry no signature (reference amocrm §4.5), so this
 * unguessable path segment is what tells amoCRM's posts from anyone's.
 */
export async function ensureWebhookSecret(
  secrets: SecretStore,
): Promise<string> {
  const existing = await secrets.get("webhook.secret");
  if (existing) return existing;

  const created = randomBytes(SECRET_BYTES).toString("base64url");
  await secrets.put("webhook.secret", created);
  // Read back: when two instances start together, the value stored last
  // is the one that counts.
  // TODO(#8): two first starts at once may still answer with the value that lost.
  return (await secrets.get("webhook.secret")) ?? created;
}

/** The address to register in amoCRM for this installation. */
export function webhookUrl(publicUrl: string, secret: string): string {
  const base = publicUrl.replace(/\/+$/, "");
  return `${base}${WEBHOOK_PATH}/${encodeURIComponent(secret)}`;
}
