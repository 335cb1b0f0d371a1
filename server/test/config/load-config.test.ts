import { describe, expect, test } from "vitest";

import { loadConfig } from "../../src/config/load-config.js";

const VALID = {
  PUBLIC_URL: "https://amo1c.example.com/",
  AMO1C_SECRET_KEY: Buffer.alloc(32, 3).toString("base64"),
  AMOCRM_CLIENT_ID: "id",
  AMOCRM_CLIENT_SECRET: "secret",
};

describe("configuration", () => {
  test("takes embedded defaults for everything but secrets and addresses", () => {
    const config = loadConfig(VALID);
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: "https://amo1c.example.com",
      database: { kind: "sqlite", file: "./data/amo1c.db" },
      logLevel: "info",
      amocrm: { clientId: "id", baseUrl: null },
    });
  });

  test("treats an empty value as unset, so the default applies", () => {
    expect(loadConfig({ ...VALID, PORT: "", LOG_LEVEL: "" })).toMatchObject({
      port: 3000,
      logLevel: "info",
    });
  });

  test("selects PostgreSQL when DATABASE_URL names it", () => {
    const config = loadConfig({
      ...VALID,
      DATABASE_URL: "postgres://u@db/amo1c",
    });
    expect(config.database).toEqual({
      kind: "postgres",
      url: "postgres://u@db/amo1c",
    });
  });

  test.each([
    [{ ...VALID, AMO1C_SECRET_KEY: undefined }, /^AMO1C_SECRET_KEY is not set/],
    [
      { ...VALID, AMO1C_SECRET_KEY: "c2hvcnQ=" },
      /^AMO1C_SECRET_KEY is invalid: expected 32 random bytes/,
    ],
    // Node's decoder skips junk; each of these decodes to 32 bytes anyway.
    [
      { ...VALID, AMO1C_SECRET_KEY: `${VALID.AMO1C_SECRET_KEY}!!` },
      /^AMO1C_SECRET_KEY is invalid: expected 32 random bytes in base64, 44/,
    ],
    [
      { ...VALID, AMO1C_SECRET_KEY: `"${VALID.AMO1C_SECRET_KEY}"` },
      /^AMO1C_SECRET_KEY is invalid: expected 32 random bytes/,
    ],
    [
      { ...VALID, AMO1C_SECRET_KEY: VALID.AMO1C_SECRET_KEY.replace("=", "") },
      /^AMO1C_SECRET_KEY is invalid: expected 32 random bytes/,
    ],
    [
      {
        ...VALID,
        AMO1C_SECRET_KEY: Buffer.alloc(32, 0xfb).toString("base64url"),
      },
      /^AMO1C_SECRET_KEY is invalid: expected 32 random bytes/,
    ],
    [{ ...VALID, PORT: "http" }, /^PORT is invalid/],
    [{ ...VALID, PUBLIC_URL: "amo1c" }, /^PUBLIC_URL is invalid/],
    [
      { ...VALID, AMOCRM_CLIENT_SECRET: undefined },
      /^AMOCRM_CLIENT_SECRET is not set/,
    ],
    [{ ...VALID, DATABASE_URL: "mysql://x" }, /^DATABASE_URL is invalid/],
    [{ ...VALID, DATABASE_URL: "file:" }, /^DATABASE_URL is invalid/],
    [{ ...VALID, DATABASE_URL: "postgres://:::" }, /^DATABASE_URL is invalid/],
    [
      { ...VALID, AMOCRM_CLIENT_ID: "" },
      /^AMOCRM_CLIENT_ID is not set: expected the integration ID/,
    ],
    [
      { ...VALID, PUBLIC_URL: "nope" },
      /^PUBLIC_URL is invalid: expected the https:\/\/ address/,
    ],
  ])("names the variable that is wrong (%#)", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe("1C settings", () => {
  test("refuse a user and password inside the OData URL", async () => {
    const { onecSettingsSchema } = await import("../../../shared/settings.js");
    const result = onecSettingsSchema.safeParse({
      odataUrl: "http://user:p4ss@1c.local/base/odata/standard.odata",
      user: "Администратор",
      profile: "ut11",
      timeZone: "Europe/Moscow",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(
      /own fields, not in the URL/,
    );
  });
});
