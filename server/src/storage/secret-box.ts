import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import { AppError } from "../errors.js";

// AES-256-GCM with a fresh 96-bit nonce per value (NIST SP 800-38D §8.2).
const ALGORITHM = "aes-256-gcm";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = "v1";

export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

/**
 * Encrypts secrets for storage. The context (the secret's name) is bound as
 * additional authenticated data, so a ciphertext copied to another row fails
 * to open instead of leaking into the wrong place.
 */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) {
    throw new AppError("config_invalid", "AMO1C_SECRET_KEY must be 32 bytes");
  }

  return {
    seal(plaintext, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, nonce);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([
        cipher.update(plaintext, "utf8"),
        cipher.final(),
      ]);
      const sealed = Buffer.concat([nonce, cipher.getAuthTag(), body]);
      return `${FORMAT_VERSION}:${sealed.toString("base64")}`;
    },

    open(sealed, context) {
      const [version, payload] = sealed.split(":", 2);
      if (version !== FORMAT_VERSION || payload === undefined) {
        throw new AppError(
          "secret_decrypt_failed",
          "Stored secret has an unknown format",
        );
      }
      const raw = Buffer.from(payload, "base64");
      // Without authTagLength, GCM accepts a tag cut to 4 bytes: a forged
      // value would then need 2^32 tries instead of 2^128.
      const decipher = createDecipheriv(
        ALGORITHM,
        key,
        raw.subarray(0, NONCE_BYTES),
        { authTagLength: TAG_BYTES },
      );
      decipher.setAAD(Buffer.from(context, "utf8"));
      try {
        decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
        const body = raw.subarray(NONCE_BYTES + TAG_BYTES);
        return Buffer.concat([
          decipher.update(body),
          decipher.final(),
        ]).toString("utf8");
      } catch (cause) {
        throw new AppError(
          "secret_decrypt_failed",
          "A stored secret cannot be decrypted: AMO1C_SECRET_KEY differs from the key it was saved with",
          { cause },
        );
      }
    },
  };
}
