import type { KeyObject } from "node:crypto";

import jwt from "jsonwebtoken";
import { z } from "zod";

import { AppError } from "../errors.js";

/**
 * amoCRM's one-time widget token (reference amocrm §6): HS256 with the
 * integration's client secret; 30 minutes of life; aud = origin of the
 * redirect URI; client_uuid = the integration id.
 */
const CLAIMS_SCHEMA = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  jti: z.string().min(1),
  exp: z.number(),
  account_id: z.coerce.number().int().positive(),
  client_uuid: z.string(),
  user_id: z.coerce.number().int().positive(),
  is_admin: z.boolean().optional().default(false),
  subdomain: z.string().optional(),
});

export type WidgetTokenClaims = z.infer<typeof CLAIMS_SCHEMA>;

/** Clock skew tolerated between amoCRM and this server. */
export const TOKEN_CLOCK_SKEW_SECONDS = 60;

/** Twice amoCRM's 30-minute token life (reference amocrm §6). */
const TOKEN_MAX_AGE = "1h";

export interface VerifyWidgetTokenOptions {
  clientId: string;
  /**
   * The integration's secret key. Pass it as a KeyObject made once
   * (createSecretKey): given a string, jsonwebtoken first tries to read it as
   * a public key on every call, and that failed attempt costs about a
   * millisecond.
   */
  clientSecret: string | KeyObject;
  /** amo1c's origin ("https://amo1c.example.com"): the token's audience. */
  audience: string;
  /** The bound amoCRM account; null before the first connection. */
  accountId: number | null;
  nowSeconds?: number | undefined;
}

export function verifyWidgetToken(
  token: string,
  options: VerifyWidgetTokenOptions,
): WidgetTokenClaims {
  const claims = CLAIMS_SCHEMA.safeParse(verifySignature(token, options));
  if (!claims.success) {
    throw invalid("The widget token lacks amoCRM's claims", claims.error);
  }

  if (claims.data.client_uuid !== options.clientId) {
    throw invalid("The widget token was issued for another integration");
  }
  if (
    options.accountId !== null &&
    claims.data.account_id !== options.accountId
  ) {
    throw new AppError(
      "widget_token_wrong_account",
      "This amo1c server is connected to another amoCRM account",
      { status: 403 },
    );
  }
  return claims.data;
}

function verifySignature(
  token: string,
  options: VerifyWidgetTokenOptions,
): unknown {
  try {
    return jwt.verify(token, options.clientSecret, {
      // Pinning the algorithm refuses "none" and RS/HS confusion.
      algorithms: ["HS256"],
      audience: [options.audience, `${options.audience}/`],
      clockTolerance: TOKEN_CLOCK_SKEW_SECONDS,
      // amoCRM's one-time tokens live 30 minutes; one issued long ago (or
      // without an issue time) was not made by $authorizedAjax.
      maxAge: TOKEN_MAX_AGE,
      clockTimestamp: options.nowSeconds,
    });
  } catch (cause) {
    if (cause instanceof jwt.TokenExpiredError) {
      throw new AppError(
        "widget_token_expired",
        "The widget token has expired; reload the amoCRM page",
        { status: 401, cause },
      );
    }
    throw invalid(
      `The widget token is not valid: ${(cause as Error).message}`,
      cause,
    );
  }
}

function invalid(message: string, cause?: unknown): AppError {
  return new AppError("widget_token_invalid", message, { status: 401, cause });
}
