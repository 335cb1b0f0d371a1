import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import { createOauthCallbackRouter } from "../../src/amocrm/oauth-callback-router.js";
import {
  startTestConnection,
  type TestConnection,
} from "./helpers/start-test-connection.js";

// amoCRM waits at most 3 s for the install hook (reference amocrm §1.2).
const AMOCRM_WAIT_MS = 3000;

let emulator: AmocrmEmulator;
let test: TestConnection | null = null;
let server: Server | null = null;

beforeAll(async () => {
  emulator = await startAmocrmEmulator({ rateLimitPerSecond: 0 });
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(async () => {
  server?.close();
  server = null;
  await test?.close();
  test = null;
  emulator.setLatency(0);
  emulator.reset();
});

/** amo1c's callback on a free port; resolves each background exchange. */
async function startCallback(current: TestConnection) {
  const settled: ((error: unknown) => void)[] = [];
  const router = createOauthCallbackRouter({
    settings: current.settings,
    secrets: current.secrets,
    tokens: current.connection.tokens,
    log: current.captured.log,
    onExchangeSettled: (error) => settled.shift()?.(error),
  });
  const app = express().use(router);
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server?.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/amocrm/oauth/callback`,
    exchanged: () => new Promise<unknown>((resolve) => settled.push(resolve)),
  };
}

describe("createOauthCallbackRouter", () => {
  it("answers within amoCRM's 3 s and connects in the background", async () => {
    test = await startTestConnection({ emulator, settings: null });
    const callback = await startCallback(test);
    const exchanged = callback.exchanged();
    // A slow amoCRM must not slow the answer down.
    emulator.setLatency(AMOCRM_WAIT_MS / 3);
    const code = emulator.issueAuthCode();

    const started = Date.now();
    const response = await fetch(
      `${callback.url}?code=${code}&referer=acme.amocrm.ru&state=x&from_widget=1`,
    );
    const answeredMs = Date.now() - started;

    expect(response.status).toBe(200);
    expect(answeredMs).toBeLessThan(1000);
    expect(await test.secrets.get("amocrm.auth_code")).toBe(code);
    expect((await test.settings.amocrm())?.host).toBe("acme.amocrm.ru");

    expect(await exchanged).toBeNull();
    expect((await test.settings.amocrm())?.accountId).toBe(emulator.accountId);
    expect(await test.connection.view()).toMatchObject({
      state: "ok",
      mode: "oauth",
    });
  }, 15_000);

  it("refuses a callback from another account host and stores nothing", async () => {
    test = await startTestConnection({
      emulator,
      settings: { host: "acme.amocrm.ru" },
    });
    const callback = await startCallback(test);

    const response = await fetch(
      `${callback.url}?code=${emulator.issueAuthCode()}&referer=other.kommo.com`,
    );

    expect(response.status).toBe(400);
    expect(await test.secrets.get("amocrm.auth_code")).toBeNull();
    expect((await test.settings.amocrm())?.host).toBe("acme.amocrm.ru");
  });

  it("refuses a callback without amoCRM's referer and stores nothing", async () => {
    test = await startTestConnection({ emulator, settings: null });
    const callback = await startCallback(test);

    const response = await fetch(`${callback.url}?code=junk`);

    expect(response.status).toBe(400);
    expect(await test.secrets.get("amocrm.auth_code")).toBeNull();
    expect(await test.settings.amocrm()).toBeNull();
  });

  it("ignores a code while a long-lived token is in use", async () => {
    test = await startTestConnection({
      emulator,
      settings: { host: "acme.amocrm.ru", longLivedToken: true },
    });
    const callback = await startCallback(test);
    emulator.clearRequests();

    const response = await fetch(
      `${callback.url}?code=${emulator.issueAuthCode()}&referer=acme.amocrm.ru`,
    );

    expect(response.status).toBe(200);
    expect(await response.text()).toContain("long-lived token");
    expect(await test.secrets.get("amocrm.auth_code")).toBeNull();
    expect(emulator.requests()).toEqual([]);
  });

  it("records why a code did not connect", async () => {
    test = await startTestConnection({ emulator });
    const callback = await startCallback(test);
    const exchanged = callback.exchanged();

    await fetch(
      `${callback.url}?code=def50200not-a-code&referer=acme.amocrm.ru`,
    );

    expect(await exchanged).toMatchObject({
      code: "amocrm_code_exchange_failed",
      remote: { status: 400, code: "Cannot decrypt the authorization code" },
    });
    const view = await test.connection.view();
    expect(view.state).toBe("needs_attention");
    expect(view.message).toContain("Cannot decrypt the authorization code");
  });

  it("leaves a working connection alone when a used code arrives", async () => {
    test = await startTestConnection({ emulator });
    const callback = await startCallback(test);
    const code = emulator.issueAuthCode();
    const first = callback.exchanged();
    await fetch(`${callback.url}?code=${code}&referer=acme.amocrm.ru`);
    await first;

    const second = callback.exchanged();
    await fetch(`${callback.url}?code=${code}&referer=acme.amocrm.ru`);

    expect(await second).toMatchObject({
      code: "amocrm_code_exchange_failed",
      remote: { code: "Authorization code has been revoked" },
    });
    expect((await test.connection.view()).state).toBe("ok");
    await expect(test.connection.api.getAccount()).resolves.toMatchObject({
      id: emulator.accountId,
    });
  });

  it("refuses a callback without a code", async () => {
    test = await startTestConnection({ emulator });
    const callback = await startCallback(test);

    const response = await fetch(`${callback.url}?referer=acme.amocrm.ru`);

    expect(response.status).toBe(400);
    expect(await test.secrets.get("amocrm.auth_code")).toBeNull();
  });
});
