import { randomBytes } from "node:crypto";

import { AppError } from "../errors.js";
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

  // Two instances starting together both get here: the first insert wins,
  // the other one stores nothing, and both answer with what was stored.
  const created = randomBytes(SECRET_BYTES).toString("base64url");
  await secrets.putIfAbsent("webhook.secret", created);
  const stored = await secrets.get("webhook.secret");
  if (stored === null)
    throw new AppError(
      "internal_error",
      "The webhook secret vanished right after it was stored; start amo1c again",
    );
  return stored;
}

/** The address to register in amoCRM for this installation. */
export function webhookUrl(publicUrl: string, secret: string): string {
  const base = publicUrl.replace(/\/+$/, "");
  return `${base}${WEBHOOK_PATH}/${encodeURIComponent(secret)}`;
}
