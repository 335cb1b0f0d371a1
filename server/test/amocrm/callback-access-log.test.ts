import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import { createAmo1c, type Amo1c } from "../../src/app/create-amo1c.js";
import { loadConfig } from "../../src/config/load-config.js";
import { captureLog } from "../helpers/capture-log.js";
import { TEST_PUBLIC_URL } from "./helpers/start-test-connection.js";

const CALLBACK_PATH = "/amocrm/oauth/callback";

let emulator: AmocrmEmulator;
let amo1c: Amo1c;
let url: string;
const dir = mkdtempSync(join(tmpdir(), "amo1c-callback-log-"));
// Debug: the access log writes 2xx requests at debug level.
const captured = captureLog("debug");

beforeAll(async () => {
  emulator = await startAmocrmEmulator({ rateLimitPerSecond: 0 });
  amo1c = await createAmo1c({
    config: loadConfig({
      PUBLIC_URL: TEST_PUBLIC_URL,
      DATABASE_URL: `file:${join(dir, "amo1c.db")}`,
      AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
      AMOCRM_CLIENT_ID: emulator.clientId,
      AMOCRM_CLIENT_SECRET: emulator.clientSecret,
      AMOCRM_BASE_URL: emulator.url,
    }),
    log: captured.log,
    schedule: false,
  });
  ({ url } = await amo1c.listen(0, "127.0.0.1"));
});

afterAll(async () => {
  await amo1c.stop();
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitForLog(msg: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (captured.lines.some((line) => line.msg === msg)) return;
    await sleep(20);
  }
  throw new Error(`no "${msg}" log line within 2 s`);
}

function callbackUrl(query: Record<string, string>): string {
  return `${url}${CALLBACK_PATH}?${new URLSearchParams(query).toString()}`;
}

describe("the OAuth callback in the access and error logs", () => {
  it("logs the request without the code or the state", async () => {
    const code = emulator.issueAuthCode();
    const state = randomBytes(12).toString("hex");

    const accepted = await fetch(
      callbackUrl({ code, state, referer: emulator.host }),
    );
    await waitForLog("amoCRM connected from the callback");
    // Refused (no referer): logged at warn by both the access log and the
    // error handler.
    const refused = await fetch(callbackUrl({ code, state }));

    expect(accepted.status).toBe(200);
    expect(refused.status).toBe(400);
    const urls = captured.lines
      .map((line) => (line.req as { url?: string } | undefined)?.url)
      .filter((logged) => logged?.startsWith(CALLBACK_PATH));
    expect(urls).toEqual([
      `${CALLBACK_PATH}?code=[redacted]&state=[redacted]&referer=${emulator.host}`,
      `${CALLBACK_PATH}?code=[redacted]&state=[redacted]`,
    ]);
    expect(captured.lines.map((line) => line.msg)).toContain("request refused");
    expect(captured.text()).not.toContain(code);
    expect(captured.text()).not.toContain(state);
  });
});
