export {
  createWebhookRouter,
  type WebhookRouterOptions,
} from "./create-webhook-router.js";
export {
  ensureWebhookSecret,
  WEBHOOK_PATH,
  webhookUrl,
} from "./ensure-webhook-secret.js";
export { readWebhookBody, type WebhookSummary } from "./read-webhook-body.js";
