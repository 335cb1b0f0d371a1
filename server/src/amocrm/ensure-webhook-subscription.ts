import type { Logger } from "../log.js";
import type { AmocrmApi } from "./api-types.js";

/**
 * The events a sync needs: a deal added, changed, deleted or moved, and its
 * contact or company changed (they name their linked deals).
 */
export const WEBHOOK_EVENTS = [
  "add_lead",
  "update_lead",
  "delete_lead",
  "status_lead",
  "update_contact",
  "update_company",
];

export interface EnsureWebhookSubscriptionOptions {
  api: Pick<AmocrmApi, "listWebhooks" | "subscribeWebhook">;
  destination: string;
  log: Logger;
}

/**
 * Subscribes amo1c's webhook URL unless amoCRM already has it, enabled and
 * with every event. amoCRM can switch a failing webhook off (reference
 * amocrm §4.4), and subscribing the same destination again replaces its
 * events instead of adding a second one. True when subscribed. A failure
 * (only admins may subscribe) is logged, not thrown: the reconciliation
 * pass still finds every change. The URL holds the webhook secret, so it
 * never reaches the log.
 */
export async function ensureWebhookSubscription(
  options: EnsureWebhookSubscriptionOptions,
): Promise<boolean> {
  const { api, destination, log } = options;
  try {
    const existing = (await api.listWebhooks()).filter(
      (hook) => hook.destination === destination,
    );
    if (existing.some((hook) => isComplete(hook))) {
      log.debug("amoCRM webhook already subscribed");
      return true;
    }
    await api.subscribeWebhook(destination, WEBHOOK_EVENTS);
    log.info(
      { events: WEBHOOK_EVENTS, replaced: existing.length > 0 },
      "amoCRM webhook subscribed",
    );
    return true;
  } catch (err) {
    log.warn({ err }, "amoCRM webhook subscription failed");
    return false;
  }
}

function isComplete(hook: { settings: string[]; disabled: boolean }) {
  return (
    !hook.disabled &&
    WEBHOOK_EVENTS.every((event) => hook.settings.includes(event))
  );
}
