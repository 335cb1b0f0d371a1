import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";
import { AppError, isAppError } from "../errors.js";
import type { SecretBox } from "./secret-box.js";

/**
 * rotate-key decrypts with the key in use and encrypts with the new one, so
 * it must run before AMO1C_SECRET_KEY is replaced, never after.
 */
export const KEY_CHANGE_ADVICE =
  "to change keys, run npx amo1c rotate-key while AMO1C_SECRET_KEY is still the old key, with the new one in AMO1C_NEW_SECRET_KEY";

/**
 * Opens one stored secret at start. With the wrong AMO1C_SECRET_KEY (a typo,
 * a restored backup, a rotation on another instance) every webhook and widget
 * call would fail while /readyz said ready; refusing to start says why.
 */
export async function verifySecretKey(
  db: Kysely<Database>,
  box: SecretBox,
): Promise<void> {
  const row = await db
    .selectFrom("secrets")
    .select(["name", "ciphertext"])
    .limit(1)
    .executeTakeFirst();
  if (!row) return;

  try {
    box.open(row.ciphertext, row.name);
  } catch (cause) {
    if (!isAppError(cause)) throw cause;
    throw new AppError(
      "config_invalid",
      `AMO1C_SECRET_KEY does not open the secrets stored in this database: start amo1c with the key they were stored under; ${KEY_CHANGE_ADVICE}`,
      { cause },
    );
  }
}
