import { Router } from "express";
import type { Request, Response } from "express";

import type { EmulatorContext } from "../context.js";
import type { ApiLocals } from "../guard-api.js";
import {
  sendHal,
  sendNoContent,
  sendValidationErrors,
} from "../http-replies.js";
import { readFilter } from "../read-query.js";
import type { WebhookRecord } from "../types.js";

export interface SubscribeOptions {
  destination: string;
  settings: string[];
  userId: number;
  sort?: number | undefined;
}

/** Adds a subscription, or replaces the settings of an existing destination. */
export function subscribe(
  ctx: EmulatorContext,
  o: SubscribeOptions,
): WebhookRecord {
  const now = ctx.nowSec();
  const existing = ctx.state.webhooks.find(
    (w) => w.destination === o.destination,
  );
  if (existing) {
    existing.settings = [...o.settings];
    existing.updated_at = now;
    existing.disabled = false;
    return existing;
  }

  const webhook: WebhookRecord = {
    id: ctx.state.webhooks.reduce((max, w) => Math.max(max, w.id), 0) + 1,
    destination: o.destination,
    settings: [...o.settings],
    sort: o.sort ?? 1,
    disabled: false,
    created_by: o.userId,
    created_at: now,
    updated_at: now,
    account_id: ctx.accountId,
  };
  ctx.state.webhooks.push(webhook);
  return webhook;
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

// POST /api/v4/webhooks {destination, settings, sort} (reference §4.1).
function addWebhook(ctx: EmulatorContext, req: Request, res: Response) {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const settings = Array.isArray(body.settings)
    ? body.settings.map(String)
    : [];
  const errors = [];
  if (!isHttpUrl(body.destination)) {
    errors.push({
      code: "InvalidUrl",
      path: "destination",
      detail: "This value is not a valid URL.",
    });
  }
  if (settings.length === 0) {
    errors.push({
      code: "NotBlank",
      path: "settings",
      detail: "This value should not be blank.",
    });
  }
  if (errors.length > 0 || !isHttpUrl(body.destination)) {
    sendValidationErrors(res, [{ request_id: "0", errors }]);
    return;
  }

  const webhook = subscribe(ctx, {
    destination: body.destination,
    settings,
    userId: (res.locals as ApiLocals).userId,
    sort: typeof body.sort === "number" ? body.sort : undefined,
  });
  sendHal(res, 201, webhook);
}

export function webhooksRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get("/api/v4/webhooks", (req, res) => {
    const destination = readFilter(req).destination;
    const webhooks = ctx.state.webhooks.filter(
      (w) => typeof destination !== "string" || w.destination === destination,
    );
    sendHal(res, 200, {
      _total_items: webhooks.length,
      _embedded: { webhooks },
    });
  });

  router.post("/api/v4/webhooks", (req, res) => addWebhook(ctx, req, res));

  // Unsubscribe: DELETE with body {destination} (reference §4.1).
  router.delete("/api/v4/webhooks", (req, res) => {
    const destination = ((req.body ?? {}) as Record<string, unknown>)
      .destination;
    ctx.state.webhooks = ctx.state.webhooks.filter(
      (w) => w.destination !== destination,
    );
    sendNoContent(res);
  });
  return router;
}
