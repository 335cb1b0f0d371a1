import jwt from "jsonwebtoken";

/**
 * The `exp` claim of an amoCRM token, or null when the token is not a JWT.
 * amoCRM signs with RS256 and publishes no key, so the payload is only
 * decoded, never verified (reference amocrm §2): good enough to warn about
 * expiry, never to trust the token.
 */
export function readJwtExpiry(token: string): Date | null {
  const payload = jwt.decode(token.trim(), { json: true });
  const exp = payload?.exp;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return null;
  return new Date(exp * 1000);
}
