import { createSecretKey } from "node:crypto";

import type { RequestHandler } from "express";

import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import type { JtiStore } from "./jti-store.js";
import {
  verifyWidgetToken,
  type WidgetTokenClaims,
} from "./verify-widget-token.js";

declare module "express-serve-static-core" {
  interface Request {
    widgetUser?: WidgetTokenClaims;
  }
}

export interface WidgetAuthOptions {
  clientId: string;
  clientSecret: string;
  audience: string;
  /** The bound amoCRM account id, read per request (settings can change). */
  accountId: () => Promise<number | null>;
  jtis: JtiStore;
  /** Confirms admin rights against amoCRM's users API (cached by the caller). */
  isAdmin: (userId: number, claimedAdmin: boolean) => Promise<boolean>;
  log: Logger;
}

/** Verifies the X-Auth-Token of every widget call, once per token id. */
export function createWidgetAuth(options: WidgetAuthOptions): {
  authenticate: RequestHandler;
  requireAdmin: RequestHandler;
} {
  const secretKey = createSecretKey(Buffer.from(options.clientSecret, "utf8"));

  const authenticate: RequestHandler = async (req, _res, next) => {
    const token = req.get("x-auth-token");
    if (!token) {
      throw new AppError(
        "widget_token_missing",
        "X-Auth-Token header is missing: call amo1c through the widget ($authorizedAjax)",
        { status: 401 },
      );
    }

    const claims = verifyWidgetToken(token, {
      clientId: options.clientId,
      clientSecret: secretKey,
      audience: options.audience,
      accountId: await options.accountId(),
    });
    const fresh = await options.jtis.claim(
      claims.jti,
      new Date(claims.exp * 1000),
    );
    if (!fresh) {
      options.log.warn(
        { jti: claims.jti, userId: claims.user_id },
        "widget token replayed",
      );
      throw new AppError(
        "widget_token_replayed",
        "This widget token was already used",
        {
          status: 401,
        },
      );
    }

    req.widgetUser = claims;
    next();
  };

  const requireAdmin: RequestHandler = async (req, _res, next) => {
    const user = req.widgetUser;
    if (!user || !(await options.isAdmin(user.user_id, user.is_admin))) {
      throw new AppError(
        "widget_admin_required",
        "Only amoCRM account administrators can see and change amo1c settings",
        { status: 403 },
      );
    }
    next();
  };

  return { authenticate, requireAdmin };
}
