import type { Kysely } from "kysely";

import type { Database } from "../db/schema.js";
import type { SecretBox } from "./secret-box.js";

/** Names of the secrets amo1c keeps; the name is also the encryption context. */
export type SecretName =
  | "amocrm.auth_code"
  | "amocrm.long_lived_token"
  | "onec.password"
  | "webhook.secret";

export interface SecretStore {
  get(name: SecretName): Promise<string | null>;
  put(name: SecretName, value: string): Promise<void>;
  /** Stores the value unless one is stored; true when this call stored it. */
  putIfAbsent(name: SecretName, value: string): Promise<boolean>;
  delete(name: SecretName): Promise<void>;
}

export function createSecretStore(
  db: Kysely<Database>,
  box: SecretBox,
): SecretStore {
  return {
    async get(name) {
      const row = await db
        .selectFrom("secrets")
        .select("ciphertext")
        .where("name", "=", name)
        .executeTakeFirst();
      return row ? box.open(row.ciphertext, name) : null;
    },

    async put(name, value) {
      const row = {
        name,
        ciphertext: box.seal(value, name),
        updated_at: new Date().toISOString(),
      };
      await db
        .insertInto("secrets")
        .values(row)
        .onConflict((oc) =>
          oc.column("name").doUpdateSet({
            ciphertext: row.ciphertext,
            updated_at: row.updated_at,
          }),
        )
        .execute();
    },

    async putIfAbsent(name, value) {
      const result = await db
        .insertInto("secrets")
        .values({
          name,
          ciphertext: box.seal(value, name),
          updated_at: new Date().toISOString(),
        })
        .onConflict((oc) => oc.column("name").doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },

    async delete(name) {
      await db.deleteFrom("secrets").where("name", "=", name).execute();
    },
  };
}
