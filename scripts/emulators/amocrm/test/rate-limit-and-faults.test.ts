import { setTimeout as sleep } from "node:timers/promises";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startAmocrmEmulator } from "../start-amocrm-emulator.js";
import type { AmocrmEmulator } from "../start-amocrm-emulator.js";
import { authorize, call } from "./helpers/amo-client.js";

let emulator: AmocrmEmulator;
let token: string;

beforeEach(async () => {
  emulator = await startAmocrmEmulator();
  token = (await authorize(emulator)).access_token;
});

afterEach(async () => {
  await emulator.stop();
});

describe("rate limit", () => {
  it("answers 429 with a non-JSON body past 7 requests a second, then recovers", async () => {
    const replies = await Promise.all(
      Array.from({ length: 9 }, () =>
        call(emulator, "/api/v4/account", { token }),
      ),
    );
    const limited = replies.filter((r) => r.status === 429);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(7);
    expect(limited).toHaveLength(2);
    expect(limited[0]!.json).toBeNull();
    expect(limited[0]!.contentType).toContain("text/html");

    await sleep(1050);
    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      200,
    );
  });

  it("counts each token separately and can be switched off", async () => {
    const other = (await authorize(emulator)).access_token;
    for (let i = 0; i < 7; i += 1)
      await call(emulator, "/api/v4/account", { token });

    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      429,
    );
    expect(
      (await call(emulator, "/api/v4/account", { token: other })).status,
    ).toBe(200);
    emulator.setRateLimit(0);
    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      200,
    );
  });
});

describe("faults", () => {
  it("serves an nginx HTML 403 the given number of times", async () => {
    emulator.injectFault({
      kind: "html403",
      count: 2,
      pathPrefix: "/api/v4/leads",
    });

    const account = await call(emulator, "/api/v4/account", { token });
    const first = await call(emulator, "/api/v4/leads/1100001", { token });
    const second = await call(emulator, "/api/v4/leads/1100001", { token });
    const third = await call(emulator, "/api/v4/leads/1100001", { token });

    expect(account.status).toBe(200);
    expect(first).toMatchObject({ status: 403, json: null });
    expect(first.text).toContain("nginx");
    expect(second.status).toBe(403);
    expect(third.status).toBe(200);
  });

  it("answers 500 problem JSON", async () => {
    emulator.injectFault({ kind: "status500", count: 1 });
    expect(await call(emulator, "/api/v4/account", { token })).toMatchObject({
      status: 500,
      json: { status: 500, detail: "An unknown error occurred." },
    });
  });

  it("drops the connection on network_close, including for token requests", async () => {
    emulator.injectFault({
      kind: "network_close",
      count: 1,
      pathPrefix: "/oauth2",
    });
    await expect(authorize(emulator)).rejects.toThrow();
    await expect(authorize(emulator)).resolves.toMatchObject({
      token_type: "Bearer",
    });
    expect(emulator.requests()[emulator.requests().length - 2]).toMatchObject({
      path: "/oauth2/access_token",
      status: 0,
    });
  });

  it("adds latency before answers", async () => {
    emulator.setLatency(150);
    const started = performance.now();
    await call(emulator, "/api/v4/account", { token });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("takes faults and config over the admin HTTP API", async () => {
    await call(emulator, "/__admin/faults", {
      method: "POST",
      body: { kind: "status429", count: 1 },
    });
    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      429,
    );

    await call(emulator, "/__admin/config", {
      method: "PUT",
      body: { rateLimitPerSecond: 1 },
    });
    await call(emulator, "/api/v4/account", { token });
    expect((await call(emulator, "/api/v4/account", { token })).status).toBe(
      429,
    );
  });
});
