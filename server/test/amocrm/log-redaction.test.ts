import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import { refreshIfAgeing } from "../../src/amocrm/refresh-if-ageing.js";
import { captureLog } from "./helpers/capture-log.js";
import {
  startTestConnection,
  type TestConnection,
} from "./helpers/start-test-connection.js";

const DAY_MS = 24 * 60 * 60 * 1000;

let emulator: AmocrmEmulator;
const secrets = new Set<string>();
const captured = captureLog();

/** Collects every token amoCRM hands out, straight off the wire. */
function tokenCollectingAxios() {
  const wire = axios.create();
  wire.interceptors.response.use((response) => {
    const url = String(response.config.url);
    if (url.endsWith("/oauth2/access_token") && response.status === 200) {
      const body = JSON.parse(String(response.data)) as Record<string, unknown>;
      for (const key of ["access_token", "refresh_token"]) {
        if (typeof body[key] === "string") secrets.add(body[key]);
      }
    }
    return response;
  });
  return wire;
}

/** The parts of a secret that would give it away: whole, or a long slice. */
function fragmentsOf(secret: string): string[] {
  const signature = secret.split(".").at(-1) ?? secret;
  return [secret, signature.slice(0, 32), secret.slice(-32)];
}

async function putFreshCode(test: TestConnection) {
  const code = emulator.issueAuthCode();
  secrets.add(code);
  await test.secrets.put("amocrm.auth_code", code);
}

async function revokeRefreshToken(test: TestConnection) {
  emulator.revokeToken((await test.connection.store.read()).refreshToken ?? "");
}

async function exercise(test: TestConnection) {
  const { connection } = test;
  await putFreshCode(test);
  await connection.check();
  await connection.check();
  emulator.expireAccessTokens();
  await connection.api.getLead(1100001);

  emulator.injectFault({ kind: "status429", count: 4, pathPrefix: "/api/v4" });
  await connection.api.getAccount().catch(() => undefined);
  emulator.injectFault({ kind: "html403", count: 1, pathPrefix: "/api/v4" });
  await connection.api.getAccount().catch(() => undefined);
  emulator.injectFault({
    kind: "network_close",
    count: 1,
    pathPrefix: "/api/v4",
  });
  await connection.api.getLead(1100001);

  await revokeRefreshToken(test);
  await connection.tokens.refresh().catch(() => undefined);
  await connection.check();

  await putFreshCode(test);
  await connection.check();
  await revokeRefreshToken(test);
  test.clock.advance(8 * DAY_MS);
  await refreshIfAgeing({ tokens: connection.tokens, log: captured.log });
}

async function exerciseLongLived(test: TestConnection) {
  const token = emulator.issueLongLivedToken(
    new Date(Date.now() + 30 * DAY_MS),
  );
  secrets.add(token);
  await test.secrets.put("amocrm.long_lived_token", token);

  await test.connection.check();
  await test.connection.api.getAccount();
  emulator.revokeToken(token);
  await test.connection.api.getAccount().catch(() => undefined);
}

beforeAll(async () => {
  emulator = await startAmocrmEmulator({ rateLimitPerSecond: 0 });
  secrets.add(emulator.clientSecret);

  const oauth = await startTestConnection({
    emulator,
    captured,
    axios: tokenCollectingAxios(),
    rateLimitPerSecond: 100,
  });
  await exercise(oauth);
  await oauth.close();

  const longLived = await startTestConnection({
    emulator,
    captured,
    settings: { longLivedToken: true },
    rateLimitPerSecond: 100,
  });
  await exerciseLongLived(longLived);
  await longLived.close();
}, 30_000);

afterAll(async () => {
  await emulator.stop();
});

describe("amoCRM logging", () => {
  it("logs requests, retries, refreshes and failures", async () => {
    const messages = captured.lines.map(
      (l) => (JSON.parse(l) as { msg: string }).msg,
    );

    expect(messages).toEqual(
      expect.arrayContaining([
        "amoCRM request",
        "amoCRM request failed, retrying",
        "amoCRM tokens refreshed",
        "amoCRM refused the refresh token",
        "amoCRM connected with an authorization code",
        "amoCRM scheduled token renewal failed",
      ]),
    );
    expect(secrets.size).toBeGreaterThanOrEqual(8);
  });

  it("never writes a token, code or secret to any log line", () => {
    const leaks = captured.lines.flatMap((line, index) =>
      [...secrets]
        .flatMap(fragmentsOf)
        .filter((f) => line.includes(f))
        .map(() => index),
    );

    expect(captured.lines.length).toBeGreaterThan(30);
    expect(leaks).toEqual([]);
  });
});
