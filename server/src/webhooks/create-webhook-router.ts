import { createHash, timingSafeEqual } from "node:crypto";

import express, {
  type Request,
  type RequestHandler,
  type Router,
} from "express";

import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { SecretStore } from "../storage/secret-store.js";
import type { SettingsStore } from "../storage/settings-store.js";
import { WEBHOOK_PATH } from "./ensure-webhook-secret.js";
import { readWebhookBody, type WebhookSummary } from "./read-webhook-body.js";

const FORM_TYPE = "application/x-www-form-urlencoded";
const DEFAULT_BODY_LIMIT = "1mb";
/** Enqueues in flight at once for one webhook (matters on PostgreSQL). */
const ENQUEUE_PARALLELISM = 8;
const LOGGED_DEAL_IDS = 50;

export interface WebhookRouterOptions {
  secrets: SecretStore;
  settings: SettingsStore;
  queue: JobQueue;
  log: Logger;
  /** Largest body accepted, in body-parser's notation ("1mb") or bytes. */
  bodyLimit?: string | number | undefined;
}

/**
 * POST /amocrm/webhooks/:secret — amoCRM's CRM webhooks. The secret is
 * checked before the body is read; the body yields the account and the
 * deals touched; one job per deal is stored before amoCRM gets its 200, so
 * a crash after the answer loses nothing (amoCRM retries only non-2xx).
 */
export function createWebhookRouter(options: WebhookRouterOptions): Router {
  const { log } = options;
  const router = express.Router();

  router.post(
    `${WEBHOOK_PATH}/:secret`,
    checkSecret(options.secrets),
    express.text({
      type: FORM_TYPE,
      limit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    }),
    async (req, res) => {
      const summary = readWebhookBody(requireFormBody(req));
      await checkAccount(summary, options.settings);
      await enqueueDeals(options.queue, summary.dealIds);

      log.info(
        {
          accountId: summary.accountId,
          dealCount: summary.dealIds.length,
          deals: summary.dealIds.slice(0, LOGGED_DEAL_IDS),
          events: summary.events,
        },
        "webhook accepted",
      );
      res.json({ accepted: summary.dealIds.length });
    },
  );
  return router;
}

function checkSecret(secrets: SecretStore): RequestHandler {
  return async (req, _res, next) => {
    const stored = await secrets.get("webhook.secret");
    const given = req.params["secret"];
    if (!stored || typeof given !== "string" || !sameSecret(given, stored)) {
      throw new AppError(
        "webhook_secret_invalid",
        "No webhook is registered at this address; copy the webhook URL from amo1c's settings page into amoCRM",
        { status: 404 },
      );
    }
    next();
  };
}

/** Constant time whatever the lengths: both sides are hashed first. */
function sameSecret(given: string, stored: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(stored));
}

function requireFormBody(req: Request): string {
  if (typeof req.body === "string" && req.body !== "") return req.body;
  // By the header, not req.is(): that answers null for a request with no
  // body at all, which would then be told its form type is wrong.
  const mediaType = req.headers["content-type"]?.split(";")[0];
  if (mediaType?.trim().toLowerCase() === FORM_TYPE) {
    throw new AppError(
      "webhook_body_invalid",
      "The webhook body is empty: amoCRM sends the changed entities as form fields",
      {
        status: 400,
      },
    );
  }
  const type = req.headers["content-type"] ?? "no content type";
  throw new AppError(
    "webhook_body_invalid",
    `A webhook body must be ${FORM_TYPE}; this request has ${type}`,
    { status: 400 },
  );
}

/**
 * The account must be the bound one. Before the first successful API call
 * amo1c knows only the configured host, so the subdomain has to match it.
 */
async function checkAccount(
  summary: WebhookSummary,
  settings: SettingsStore,
): Promise<void> {
  const amocrm = await settings.amocrm();
  if (!amocrm) {
    throw accountMismatch(
      "amo1c is not connected to an amoCRM account yet; save the amoCRM settings first",
    );
  }
  if (amocrm.accountId !== null) {
    if (summary.accountId === amocrm.accountId) return;
    throw accountMismatch(
      `The webhook comes from amoCRM account ${summary.accountId}, but amo1c is connected to account ${amocrm.accountId}; remove this webhook from the other account`,
    );
  }

  const expected = firstLabel(amocrm.host);
  const given = firstLabel(summary.subdomain ?? "");
  if (given !== expected) {
    throw accountMismatch(
      `The webhook comes from the amoCRM account "${given}", but amo1c is set up for ${amocrm.host}`,
    );
  }
}

function firstLabel(host: string): string {
  return host.trim().toLowerCase().split(".")[0] ?? "";
}

function accountMismatch(message: string): AppError {
  return new AppError("webhook_account_mismatch", message, { status: 400 });
}

/** Stores every job before returning; a failure answers 500 and amoCRM retries. */
async function enqueueDeals(queue: JobQueue, dealIds: number[]) {
  const pending = [...dealIds];
  const drain = async () => {
    for (let id = pending.shift(); id !== undefined; id = pending.shift()) {
      await queue.enqueue(id, { trigger: "webhook" });
    }
  };
  const lanes = Math.min(ENQUEUE_PARALLELISM, pending.length);
  await Promise.all(Array.from({ length: lanes }, drain));
}
