import { createHash, timingSafeEqual } from "node:crypto";

import { Router, type Request } from "express";
import type { Registry } from "prom-client";

import type { ErrorBody } from "../../../shared/error-codes.js";
import type { Logger } from "../log.js";

const LOOPBACK_ADDRESSES = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export interface MetricsRouterOptions {
  registry: Registry;
  /** METRICS_TOKEN; empty = only loopback clients may scrape. */
  token: string;
  log: Logger;
}

/**
 * GET /metrics in Prometheus text format. With a token set, the scraper
 * sends it as a Bearer token; without one, only a scraper on this machine
 * is answered.
 */
export function createMetricsRouter(options: MetricsRouterOptions): Router {
  const router = Router();

  router.get("/metrics", async (req, res) => {
    const refusal = refusalOf(req, options.token);
    if (refusal) {
      options.log.warn(
        { remoteAddress: req.socket.remoteAddress },
        "metrics scrape refused",
      );
      const body: ErrorBody = {
        error: { code: "metrics_forbidden", message: refusal },
      };
      res.status(403).json(body);
      return;
    }

    const text = await options.registry.metrics();
    res.set("Content-Type", options.registry.contentType).send(text);
  });

  return router;
}

function refusalOf(req: Request, token: string): string | null {
  if (token !== "") {
    return sameSecret(bearerOf(req), token)
      ? null
      : "Send the METRICS_TOKEN as 'Authorization: Bearer <token>' to read /metrics";
  }
  return isLocalClient(req)
    ? null
    : "/metrics answers only on this machine; set METRICS_TOKEN to scrape it from elsewhere";
}

function bearerOf(req: Request): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return match?.[1] ?? "";
}

/** Compares digests so neither the length nor the content leaks by timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The socket's own peer, not req.ip: a reverse proxy on the same machine
 * connects from loopback too, so a request it forwards (it adds
 * X-Forwarded-For or Forwarded) counts as remote.
 */
function isLocalClient(req: Request): boolean {
  const proxied =
    req.headers["x-forwarded-for"] !== undefined ||
    req.headers["forwarded"] !== undefined;
  return !proxied && LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? "");
}
