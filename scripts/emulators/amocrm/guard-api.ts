import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

import type { NextFunction, Request, Response } from "express";

import type { ActiveFault, EmulatorContext } from "./context.js";
import { sendProblem, sendUnauthorized } from "./http-replies.js";
import { checkAccessToken } from "./token-registry.js";

// An nginx-style block page: when amoCRM bans an account or IP, the 403 is
// HTML, not JSON (reference §3.11).
const HTML_403 = `<html>
<head><title>403 Forbidden</title></head>
<body>
<center><h1>403 Forbidden</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

// The 429 body is not JSON either (reference §3.11).
const HTML_429 = `<html>
<head><title>429 Too Many Requests</title></head>
<body>
<center><h1>429 Too Many Requests</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

/** Locals the API routes read: the user behind the bearer token. */
export interface ApiLocals {
  userId: number;
}

/** Latency, then injected faults: for /api/v4 and /oauth2 alike. */
export function delayAndFault(ctx: EmulatorContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (ctx.config.latencyMs > 0) await sleep(ctx.config.latencyMs);

    const fault = takeFault(ctx, req.path);
    if (!fault) {
      next();
      return;
    }
    answerWithFault(req, res, fault.kind);
  };
}

function takeFault(ctx: EmulatorContext, path: string): ActiveFault | null {
  const fault = ctx.faults.find(
    (f) => f.remaining > 0 && path.startsWith(f.pathPrefix),
  );
  if (!fault) return null;

  fault.remaining -= 1;
  ctx.faults = ctx.faults.filter((f) => f.remaining > 0);
  return fault;
}

function answerWithFault(
  req: Request,
  res: Response,
  kind: ActiveFault["kind"],
): void {
  switch (kind) {
    case "html403":
      res.status(403).type("text/html").send(HTML_403);
      return;
    case "status429":
      res.status(429).type("text/html").send(HTML_429);
      return;
    case "status500":
      sendProblem(res, {
        status: 500,
        title: "Internal Server Error",
        detail: "An unknown error occurred.",
      });
      return;
    case "network_close":
      req.socket.destroy();
      return;
  }
}

function bearerToken(req: Request): string | null {
  const header = req.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Rate limit per token, then the bearer check of every /api/v4 call.
 * The per-integration 7 per second is what amo1c meets; the per-account
 * 50 per second, the 402 of an unpaid account and the IP whitelist 403
 * are not emulated.
 */
export function requireToken(ctx: EmulatorContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    const limitKey = token ?? `ip:${req.ip ?? ""}`;
    // Real elapsed time, not the injectable clock: a test that freezes the
    // clock must still get its budget back after a second.
    const allowed = ctx.rateLimiter.allow(
      limitKey,
      performance.now(),
      ctx.config.rateLimitPerSecond,
    );
    if (!allowed) {
      res.status(429).type("text/html").send(HTML_429);
      return;
    }

    const userId = token === null ? null : checkAccessToken(ctx, token);
    if (userId === null) {
      sendUnauthorized(res);
      return;
    }
    (res.locals as ApiLocals).userId = userId;
    next();
  };
}
