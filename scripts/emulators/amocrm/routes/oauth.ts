import { Router } from "express";
import type { Request, Response } from "express";

import type { EmulatorContext } from "../context.js";
import { sendOauthProblem } from "../http-replies.js";
import {
  consumeAuthCode,
  consumeRefreshToken,
  issueTokenPair,
} from "../token-registry.js";

type TokenBody = Record<string, unknown>;

function field(body: TokenBody, name: string): string | null {
  const value = body[name];
  return typeof value === "string" && value !== "" ? value : null;
}

/** Client and redirect checks shared by both grants; hints per reference §1.6. */
function clientProblem(ctx: EmulatorContext, body: TokenBody): string | null {
  if (field(body, "client_id") !== ctx.clientId) {
    return "Check the `client_id` parameter";
  }
  if (field(body, "client_secret") !== ctx.clientSecret) {
    return "Check the `client_secret` parameter";
  }
  if (field(body, "redirect_uri") !== ctx.redirectUri) {
    return "Redirect URI is not associated with client";
  }
  return null;
}

function exchangeCode(ctx: EmulatorContext, body: TokenBody, res: Response) {
  const code = field(body, "code");
  if (code === null) {
    sendOauthProblem(res, 400, "Check the `code` parameter");
    return;
  }

  const check = consumeAuthCode(ctx, code);
  if (!check.ok) {
    const hints = {
      unknown: "Cannot decrypt the authorization code",
      used: "Authorization code has been revoked",
      expired: "Authorization code has expired",
    };
    sendOauthProblem(res, 400, hints[check.reason]);
    return;
  }
  res.json(issueTokenPair(ctx, check.userId));
}

// Refresh tokens are single-use: a reused, revoked or aged-out one answers
// 401 "Token has been revoked" (reference §1.4, §1.6).
function refresh(ctx: EmulatorContext, body: TokenBody, res: Response) {
  const token = field(body, "refresh_token");
  if (token === null) {
    sendOauthProblem(res, 400, "Check the `refresh_token` parameter");
    return;
  }

  const check = consumeRefreshToken(ctx, token);
  if (!check.ok) {
    const hint =
      check.reason === "unknown"
        ? "Cannot decrypt the refresh token"
        : "Token has been revoked";
    sendOauthProblem(res, 401, hint);
    return;
  }
  res.json(issueTokenPair(ctx, check.userId));
}

// The token endpoint only: the consent page (/oauth), the install callback
// to the redirect URI and /oauth2/account/subdomain are not emulated (the
// tests call amo1c's callback themselves, as amoCRM would).
export function oauthRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post("/oauth2/access_token", (req: Request, res: Response) => {
    const body = (req.body ?? {}) as TokenBody;
    const problem = clientProblem(ctx, body);
    if (problem !== null) {
      sendOauthProblem(res, 400, problem);
      return;
    }

    const grantType = field(body, "grant_type");
    if (grantType === "authorization_code") {
      exchangeCode(ctx, body, res);
    } else if (grantType === "refresh_token") {
      refresh(ctx, body, res);
    } else {
      sendOauthProblem(res, 400, "Check the `grant_type` parameter");
    }
  });
  return router;
}
