import { randomBytes } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import { createSecretBox } from "../../src/storage/secret-box.js";
import { createSecretStore } from "../../src/storage/secret-store.js";
import { verifySecretKey } from "../../src/storage/verify-secret-key.js";
import {
  createTempDatabase,
  type TempDatabase,
} from "../helpers/temp-database.js";

let database: TempDatabase | undefined;
afterEach(async () => database?.dispose());

describe("verifySecretKey", () => {
  it("with another key, says to start with the stored key and how rotate-key changes keys", async () => {
    database = await createTempDatabase();
    const stored = createSecretBox(randomBytes(32));
    await createSecretStore(database.db, stored).put("onec.password", "p");

    const other = createSecretBox(randomBytes(32));
    const error = await verifySecretKey(database.db, other).catch((e) => e);

    expect(error).toMatchObject({ code: "config_invalid" });
    expect(error.message).toBe(
      "AMO1C_SECRET_KEY does not open the secrets stored in this database: start amo1c with the key they were stored under; to change keys, run npx amo1c rotate-key while AMO1C_SECRET_KEY is still the old key, with the new one in AMO1C_NEW_SECRET_KEY",
    );
  });
});
