import jwt from "jsonwebtoken";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startAmocrmEmulator } from "../start-amocrm-emulator.js";
import type { AmocrmEmulator } from "../start-amocrm-emulator.js";
import { call } from "./helpers/amo-client.js";

const START_MS = Date.UTC(2026, 2, 1, 9, 0, 0);

let emulator: AmocrmEmulator;

beforeEach(async () => {
  emulator = await startAmocrmEmulator({ now: () => START_MS });
});

afterEach(async () => {
  await emulator.stop();
});

describe("disposable widget token", () => {
  it("verifies with the client secret and carries the documented claims", () => {
    const token = emulator.signDisposableToken({ userId: 8100001 });

    const claims = jwt.verify(token, emulator.clientSecret, {
      algorithms: ["HS256"],
      audience: "http://127.0.0.1",
      issuer: "https://acme.amocrm.ru",
      clockTimestamp: START_MS / 1000,
    });
    expect(claims).toMatchObject({
      account_id: emulator.accountId,
      subdomain: "acme",
      client_uuid: emulator.clientId,
      user_id: 8100001,
      is_admin: true,
      iat: START_MS / 1000,
      nbf: START_MS / 1000,
      exp: START_MS / 1000 + 30 * 60,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it("does not verify with another secret", () => {
    const token = emulator.signDisposableToken({ userId: 8100002 });
    expect(() =>
      jwt.verify(token, "another-secret", { algorithms: ["HS256"] }),
    ).toThrow("invalid signature");
  });

  it("is issued over the admin API with overrides", async () => {
    const reply = await call(emulator, "/__admin/disposable-token", {
      method: "POST",
      body: {
        userId: 8100002,
        isAdmin: false,
        aud: "https://amo1c.example",
        ttlSeconds: 60,
      },
    });
    const { token } = reply.json as { token: string };
    expect(jwt.decode(token)).toMatchObject({
      user_id: 8100002,
      is_admin: false,
      aud: "https://amo1c.example",
      exp: START_MS / 1000 + 60,
    });
  });
});
