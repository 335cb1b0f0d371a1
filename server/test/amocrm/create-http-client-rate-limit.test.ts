import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AMOCRM_RATE_LIMIT_PER_SECOND } from "../../src/amocrm/create-http-client.js";
import {
  spawnAmocrmEmulator,
  type SpawnedEmulator,
} from "./helpers/spawn-amocrm-emulator.js";
import {
  startTestConnection,
  type TestConnection,
} from "./helpers/start-test-connection.js";

const WINDOW_MS = 1000;
const LIMIT = 7;
const BURST = 200;

let emulator: SpawnedEmulator;
let test: TestConnection;

beforeAll(async () => {
  emulator = await spawnAmocrmEmulator();
  test = await startTestConnection({
    emulator,
    rateLimitPerSecond: AMOCRM_RATE_LIMIT_PER_SECOND,
  });
  await test.secrets.put("amocrm.auth_code", await emulator.issueAuthCode());
  await test.connection.tokens.exchangeCode();
});

afterAll(async () => {
  await test?.close();
  await emulator?.stop();
});

/** Fewest milliseconds spanned by any LIMIT + 1 consecutive arrivals. */
function tightestSpan(times: number[]): number {
  const spans = times.slice(LIMIT).map((t, i) => t - (times[i] ?? 0));
  return Math.min(...spans);
}

describe("the amoCRM rate limit", () => {
  it("never lets more than 7 requests start in any second under a burst of 200", async () => {
    await emulator.clearRequests();
    const started = Date.now();

    const results = await Promise.allSettled(
      Array.from({ length: BURST }, () => test.connection.api.getAccount()),
    );

    const elapsedMs = Date.now() - started;
    const log = await emulator.requests();
    const times = log.map((r) => r.at).sort((a, b) => a - b);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    // No 429 from the emulator's own 7/s window, so no retries either.
    expect(log.map((r) => r.status)).toEqual(Array(BURST).fill(200));
    expect(tightestSpan(times)).toBeGreaterThanOrEqual(WINDOW_MS);
    test.captured.log.info(
      { elapsedMs, tightestSpanMs: tightestSpan(times) },
      "rate limit burst measured",
    );
  }, 60_000);
});
