import { Router, type Response } from "express";

import type { Metrics } from "./create-metrics.js";

/** Where amoCRM posts webhooks (the secret follows in the path). */
export const WEBHOOK_PATH_PREFIX = "/amocrm/webhooks";

/**
 * Counts every webhook post by the answer amo1c gave it, without touching
 * the webhook intake: mount it before the webhook router. A refusal is
 * labelled with the error code of the answer's body.
 */
export function countWebhooks(
  metrics: Pick<Metrics, "webhookReceived" | "webhookRejected">,
): Router {
  const router = Router();

  router.use(WEBHOOK_PATH_PREFIX, (req, res, next) => {
    if (req.method !== "POST") return next();
    const answered = rememberErrorCode(res);

    res.once("finish", () => {
      metrics.webhookReceived();
      if (res.statusCode >= 400)
        metrics.webhookRejected(answered.code ?? `http_${res.statusCode}`);
    });
    next();
  });

  return router;
}

/** Notes the `error.code` of a JSON answer as it is sent. */
function rememberErrorCode(res: Response): { code: string | null } {
  const seen = { code: null as string | null };
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    seen.code = errorCodeOf(body);
    return json(body);
  };
  return seen;
}

function errorCodeOf(body: unknown): string | null {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === "string" ? code : null;
}
