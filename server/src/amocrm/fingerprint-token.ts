import { createHash } from "node:crypto";

/**
 * A short SHA-256 prefix naming a token without revealing it: lets a stored
 * "this token was refused" be matched against the token in use now.
 */
export function fingerprintToken(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}
