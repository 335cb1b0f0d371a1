import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import {
  LONG_LIVED_EXPIRY_STEPS,
  OAUTH_EXPIRY_STEPS,
} from "../../src/amocrm/connection-view.js";
import { buildScheduler } from "../../src/app/build-scheduler.js";
import {
  connectWithCode,
  startTestConnection,
  type TestConnection,
} from "./helpers/start-test-connection.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const WARN = 40;

let emulator: AmocrmEmulator;
let test: TestConnection | null = null;

beforeAll(async () => {
  emulator = await startAmocrmEmulator({ rateLimitPerSecond: 0 });
});

afterAll(async () => {
  await emulator.stop();
});

afterEach(async () => {
  await test?.close();
  test = null;
  emulator.reset();
});

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

function parsed(current: TestConnection): LogLine[] {
  return current.captured.lines.map((line) => JSON.parse(line) as LogLine);
}

function expiryWarnings(current: TestConnection): LogLine[] {
  return parsed(current).filter((l) => l.msg.startsWith("amoCRM token "));
}

async function startLongLived(expiresInDays: number) {
  const expiresAt = new Date(Date.now() + expiresInDays * DAY_MS);
  expiresAt.setUTCHours(0, 0, 0, 0);
  test = await startTestConnection({
    emulator,
    settings: {
      longLivedToken: true,
      tokenExpiresOn: expiresAt.toISOString().slice(0, 10),
    },
  });
  const token = emulator.issueLongLivedToken(expiresAt);
  await test.secrets.put("amocrm.long_lived_token", token);
  return { test, expiresAt };
}

/** One amo1c instance's scheduler: one tick of every task, then stop. */
async function runScheduler(current: TestConnection) {
  const scheduler = buildScheduler({
    database: current.handle,
    log: current.captured.log,
    amocrm: current.connection,
    reconcile: async () => 0,
  });
  scheduler.start();
  // stop() waits for the ticks start() began.
  await scheduler.stop();
}

function taskDone(current: TestConnection, task: string) {
  return () =>
    parsed(current).filter(
      (l) => l.msg === "scheduled task done" && l.task === task,
    ).length;
}

describe("the scheduled token expiry warning", () => {
  it("warns once a day cluster-wide with the date and the steps", async () => {
    const { test, expiresAt } = await startLongLived(10);
    const done = taskDone(test, "warn-amocrm-token-expiry");

    await runScheduler(test);
    // A second instance on the same database within the day: no repeat.
    await runScheduler(test);

    expect(done()).toBe(1);
    expect(expiryWarnings(test)).toEqual([
      expect.objectContaining({
        level: WARN,
        msg: "amoCRM token expires soon",
        name: "amocrm-tokens",
        mode: "long_lived",
        state: "expiring",
        expiresAt: expiresAt.toISOString(),
        steps: LONG_LIVED_EXPIRY_STEPS,
        reason: expect.stringContaining(
          `The long-lived token expires on ${expiresAt.toISOString().slice(0, 10)}`,
        ),
      }),
    ]);
  });

  it("stays quiet outside the warning window", async () => {
    const { test } = await startLongLived(60);

    expect(await test.connection.warnIfTokenExpiring()).toBe(false);
    expect(expiryWarnings(test)).toEqual([]);
  });

  it("follows the configured number of days", async () => {
    const { test } = await startLongLived(20);
    const settings = await test.settings.amocrm();
    await test.settings.put("amocrm", {
      ...settings!,
      warnDaysBeforeExpiry: 30,
    });

    expect(await test.connection.warnIfTokenExpiring()).toBe(true);
    expect(expiryWarnings(test).map((l) => l.msg)).toEqual([
      "amoCRM token expires soon",
    ]);
  });

  it("warns when a long-lived token is past its date", async () => {
    const { test, expiresAt } = await startLongLived(-1);

    expect(await test.connection.warnIfTokenExpiring()).toBe(true);
    expect(expiryWarnings(test)).toEqual([
      expect.objectContaining({
        level: WARN,
        msg: "amoCRM token has expired",
        state: "expired",
        expiresAt: expiresAt.toISOString(),
        steps: LONG_LIVED_EXPIRY_STEPS,
      }),
    ]);
  });

  it("warns with the refresh token's date when an OAuth pair ages out", async () => {
    test = await startTestConnection({ emulator });
    await connectWithCode(test, emulator);
    const { refreshExpiresAt } = await test.connection.store.read();
    test.clock.advanceDays(80);

    expect(await test.connection.warnIfTokenExpiring()).toBe(true);
    expect(expiryWarnings(test)).toEqual([
      expect.objectContaining({
        level: WARN,
        msg: "amoCRM token expires soon",
        mode: "oauth",
        expiresAt: refreshExpiresAt?.toISOString(),
        steps: OAUTH_EXPIRY_STEPS,
      }),
    ]);
  });
});
