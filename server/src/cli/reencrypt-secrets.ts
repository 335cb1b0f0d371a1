import type { Kysely, Transaction } from "kysely";

import type { Database } from "../db/schema.js";
import type { SecretBox } from "../storage/secret-box.js";

/**
 * The sealed columns of amocrm_tokens and their encryption contexts; they
 * must match the token store's (amocrm/token-store.ts), which the rotate-key
 * test proves by reading the tokens back through it.
 */
const TOKEN_COLUMNS = [
  { column: "access_token", context: "amocrm.access_token" },
  { column: "refresh_token", context: "amocrm.refresh_token" },
] as const;

export interface ReencryptSecretsOptions {
  db: Kysely<Database>;
  kind: "sqlite" | "postgres";
  from: SecretBox;
  to: SecretBox;
}

export interface ReencryptReport {
  secrets: number;
  tokens: number;
}

/**
 * Opens every stored secret with the old key and seals it with the new one,
 * in one transaction: a value the old key cannot open aborts the whole
 * rotation and leaves the database as it was.
 */
export async function reencryptSecrets(
  options: ReencryptSecretsOptions,
): Promise<ReencryptReport> {
  return options.db.transaction().execute(async (trx) => ({
    secrets: await reencryptSecretRows(trx, options),
    tokens: await reencryptTokenColumns(trx, options),
  }));
}

async function reencryptSecretRows(
  trx: Transaction<Database>,
  options: ReencryptSecretsOptions,
): Promise<number> {
  let query = trx.selectFrom("secrets").select(["name", "ciphertext"]);
  if (options.kind === "postgres") query = query.forUpdate();
  const rows = await query.execute();

  for (const row of rows) {
    const plaintext = options.from.open(row.ciphertext, row.name);
    await trx
      .updateTable("secrets")
      .set({ ciphertext: options.to.seal(plaintext, row.name) })
      .where("name", "=", row.name)
      .execute();
  }
  return rows.length;
}

async function reencryptTokenColumns(
  trx: Transaction<Database>,
  options: ReencryptSecretsOptions,
): Promise<number> {
  let query = trx
    .selectFrom("amocrm_tokens")
    .select(["id", "access_token", "refresh_token"]);
  if (options.kind === "postgres") query = query.forUpdate();
  const rows = await query.execute();

  let count = 0;
  for (const row of rows) {
    const patch: Partial<Record<"access_token" | "refresh_token", string>> = {};
    for (const { column, context } of TOKEN_COLUMNS) {
      const sealed = row[column];
      if (sealed === null) continue;
      patch[column] = options.to.seal(
        options.from.open(sealed, context),
        context,
      );
      count += 1;
    }
    // Bumping the version tells token providers the row changed under them.
    await trx
      .updateTable("amocrm_tokens")
      .set((eb) => ({ ...patch, version: eb("version", "+", 1) }))
      .where("id", "=", row.id)
      .execute();
  }
  return count;
}
