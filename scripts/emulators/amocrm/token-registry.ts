import { randomBytes, randomUUID } from "node:crypto";

import jwt from "jsonwebtoken";
import type { JwtHeader } from "jsonwebtoken";

// Lifetimes documented by amoCRM (reference §1.2, §1.4).
export const AUTH_CODE_TTL_MS = 20 * 60 * 1000;
export const ACCESS_TOKEN_TTL_SEC = 86_400;
export const REFRESH_TOKEN_TTL_MS = 90 * 24 * 60 * 60 * 1000;
const SCOPES = ["crm", "files", "files_delete", "notifications"];

interface CodeRecord {
  userId: number;
  expiresAtMs: number;
  used: boolean;
}

interface AccessRecord {
  kind: "oauth" | "long_lived";
  userId: number;
  expiresAtMs: number;
  revoked: boolean;
}

interface RefreshRecord {
  userId: number;
  expiresAtMs: number;
  used: boolean;
  revoked: boolean;
}

export interface TokenRegistry {
  codes: Map<string, CodeRecord>;
  access: Map<string, AccessRecord>;
  refresh: Map<string, RefreshRecord>;
}

/** What token operations need from the emulator; EmulatorContext fits it. */
export interface TokenContext {
  tokens: TokenRegistry;
  now(): number;
  clientId: string;
  host: string;
  accountId: number;
  privateKey: string;
}

export interface TokenPair {
  token_type: "Bearer";
  expires_in: number;
  access_token: string;
  refresh_token: string;
  server_time: number;
}

export function createTokenRegistry(): TokenRegistry {
  return { codes: new Map(), access: new Map(), refresh: new Map() };
}

// Codes and refresh tokens are opaque "def502…" strings (reference §1.5).
function opaqueToken(): string {
  return `def50200${randomBytes(160).toString("hex")}`;
}

export function issueAuthCode(ctx: TokenContext, userId: number): string {
  const code = opaqueToken();
  ctx.tokens.codes.set(code, {
    userId,
    expiresAtMs: ctx.now() + AUTH_CODE_TTL_MS,
    used: false,
  });
  return code;
}

interface SignAccessJwtOptions {
  userId: number;
  expSec: number;
  grantType: string;
}

function signAccessJwt(ctx: TokenContext, o: SignAccessJwtOptions): string {
  const nowSec = Math.floor(ctx.now() / 1000);
  const jti = randomUUID();
  const tld = ctx.host.slice(ctx.host.indexOf(".") + 1);
  const payload = {
    aud: ctx.clientId,
    jti,
    iat: nowSec,
    nbf: nowSec,
    exp: o.expSec,
    sub: String(o.userId),
    grant_type: o.grantType,
    account_id: ctx.accountId,
    base_domain: tld,
    version: 2,
    scopes: SCOPES,
    hash_uuid: randomUUID(),
    api_domain: `api-b.${tld}`,
  };
  const header = { alg: "RS256", typ: "JWT", jti } as JwtHeader;
  return jwt.sign(payload, ctx.privateKey, { algorithm: "RS256", header });
}

export function issueTokenPair(ctx: TokenContext, userId: number): TokenPair {
  const nowMs = ctx.now();
  const expSec = Math.floor(nowMs / 1000) + ACCESS_TOKEN_TTL_SEC;
  const accessToken = signAccessJwt(ctx, {
    userId,
    expSec,
    grantType: "authorization_code",
  });
  const refreshToken = opaqueToken();

  ctx.tokens.access.set(accessToken, {
    kind: "oauth",
    userId,
    expiresAtMs: expSec * 1000,
    revoked: false,
  });
  ctx.tokens.refresh.set(refreshToken, {
    userId,
    expiresAtMs: nowMs + REFRESH_TOKEN_TTL_MS,
    used: false,
    revoked: false,
  });
  return {
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_TTL_SEC,
    access_token: accessToken,
    refresh_token: refreshToken,
    server_time: Math.floor(nowMs / 1000),
  };
}

// Long-lived tokens expire at 00:00 UTC of the chosen date and carry an
// empty grant_type (reference §2).
export function issueLongLivedToken(
  ctx: TokenContext,
  userId: number,
  expiresAt: Date,
): string {
  const day = new Date(expiresAt.getTime());
  day.setUTCHours(0, 0, 0, 0);
  const expSec = Math.floor(day.getTime() / 1000);
  const token = signAccessJwt(ctx, { userId, expSec, grantType: "" });

  ctx.tokens.access.set(token, {
    kind: "long_lived",
    userId,
    expiresAtMs: expSec * 1000,
    revoked: false,
  });
  return token;
}

export type CodeCheck =
  | { ok: true; userId: number }
  | { ok: false; reason: "unknown" | "used" | "expired" };

/** Consumes an authorization code: single-use, 20 minutes. */
export function consumeAuthCode(ctx: TokenContext, code: string): CodeCheck {
  const record = ctx.tokens.codes.get(code);
  if (!record) return { ok: false, reason: "unknown" };
  if (record.used) return { ok: false, reason: "used" };
  if (ctx.now() >= record.expiresAtMs) return { ok: false, reason: "expired" };

  record.used = true;
  return { ok: true, userId: record.userId };
}

/** Consumes a refresh token: single-use, 3 months (reference §1.4). */
export function consumeRefreshToken(
  ctx: TokenContext,
  token: string,
): CodeCheck {
  const record = ctx.tokens.refresh.get(token);
  if (!record) return { ok: false, reason: "unknown" };
  if (record.used || record.revoked) return { ok: false, reason: "used" };
  if (ctx.now() >= record.expiresAtMs) return { ok: false, reason: "expired" };

  record.used = true;
  return { ok: true, userId: record.userId };
}

/** The user id behind a usable access token, or null. */
export function checkAccessToken(
  ctx: TokenContext,
  token: string,
): number | null {
  const record = ctx.tokens.access.get(token);
  if (!record || record.revoked) return null;
  if (ctx.now() >= record.expiresAtMs) return null;
  return record.userId;
}

export function revokeToken(ctx: TokenContext, token: string): void {
  const access = ctx.tokens.access.get(token);
  if (access) access.revoked = true;
  const refresh = ctx.tokens.refresh.get(token);
  if (refresh) refresh.revoked = true;
}

/** Every OAuth access token issued so far is expired from now on. */
export function expireAccessTokens(ctx: TokenContext): void {
  for (const record of ctx.tokens.access.values()) {
    if (record.kind === "oauth") record.expiresAtMs = ctx.now();
  }
}

export function expireRefreshTokens(ctx: TokenContext): void {
  for (const record of ctx.tokens.refresh.values()) {
    record.expiresAtMs = ctx.now();
  }
}
