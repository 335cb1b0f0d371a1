import { randomUUID } from "node:crypto";

import jwt from "jsonwebtoken";

import type { EmulatorContext } from "./context.js";

// Disposable widget tokens live 30 minutes (reference §6).
const DISPOSABLE_TOKEN_TTL_SEC = 30 * 60;

export interface DisposableTokenOptions {
  userId: number;
  isAdmin?: boolean | undefined;
  aud?: string | undefined;
  accountId?: number | undefined;
  ttlSeconds?: number | undefined;
}

/**
 * The one-time JWT amoCRM hands to `$authorizedAjax` (reference §6): HS256
 * with the client secret, aud = origin of the redirect URI.
 */
export function signDisposableToken(
  ctx: EmulatorContext,
  o: DisposableTokenOptions,
): string {
  const nowSec = ctx.nowSec();
  const user = ctx.state.seed.users.find((u) => u.id === o.userId);
  const payload = {
    iss: `https://${ctx.host}`,
    aud: o.aud ?? new URL(ctx.redirectUri).origin,
    jti: randomUUID(),
    iat: nowSec,
    nbf: nowSec,
    exp: nowSec + (o.ttlSeconds ?? DISPOSABLE_TOKEN_TTL_SEC),
    account_id: o.accountId ?? ctx.accountId,
    subdomain: ctx.state.seed.account.subdomain,
    client_uuid: ctx.clientId,
    user_id: o.userId,
    is_admin: o.isAdmin ?? user?.is_admin ?? false,
  };
  return jwt.sign(payload, ctx.clientSecret, { algorithm: "HS256" });
}
