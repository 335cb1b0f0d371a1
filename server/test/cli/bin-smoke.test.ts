import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { afterAll, describe, expect, it } from "vitest";

import { createTempDatabase } from "../helpers/temp-database.js";

const BIN = fileURLToPath(new URL("../../../bin/amo1c.js", import.meta.url));
const run = promisify(execFile);

const temp = await createTempDatabase();
afterAll(() => temp.dispose());

describe("bin/amo1c.js", () => {
  it("runs a command from the TypeScript sources with the environment's config", async () => {
    const { stdout } = await run(process.execPath, [BIN, "migrate"], {
      env: {
        PATH: process.env["PATH"],
        PUBLIC_URL: "https://amo1c.example.com",
        AMOCRM_CLIENT_ID: "client-id",
        AMOCRM_CLIENT_SECRET: "client-secret",
        AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
        DATABASE_URL: `file:${temp.file}`,
      },
    });

    expect(stdout).toMatch(
      /^nothing to apply: the schema is up to date\nschema version: \d{4}-\S+\n$/,
    );
  });
});
