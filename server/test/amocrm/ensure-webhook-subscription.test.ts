import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import { WEBHOOK_EVENTS } from "../../src/amocrm/ensure-webhook-subscription.js";
import {
  connectWithCode,
  requestLines,
  startTestConnection,
  type TestConnection,
} from "./helpers/start-test-connection.js";

const HOOK_URL = "https://amo1c.example.com/amocrm/webhooks/s3cret-path";

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

function hooksFor(destination: string) {
  return emulator.state().webhooks.filter((w) => w.destination === destination);
}

async function startConnected(): Promise<TestConnection> {
  test = await startTestConnection({ emulator, webhookUrl: HOOK_URL });
  await connectWithCode(test, emulator);
  emulator.clearRequests();
  return test;
}

describe("the webhook subscription after a Check", () => {
  it("subscribes amo1c's URL once, also after a second Check", async () => {
    const test = await startConnected();

    expect((await test.connection.check()).ok).toBe(true);
    expect((await test.connection.check()).ok).toBe(true);

    expect(hooksFor(HOOK_URL)).toEqual([
      expect.objectContaining({ settings: WEBHOOK_EVENTS, disabled: false }),
    ]);
    expect(
      requestLines(emulator).filter((l) => l.includes("/api/v4/webhooks")),
    ).toEqual([
      "GET /api/v4/webhooks 200",
      "POST /api/v4/webhooks 201",
      "GET /api/v4/webhooks 200",
    ]);
    const messages = test.captured.lines.map(
      (l) => (JSON.parse(l) as { msg: string }).msg,
    );
    expect(messages).toContain("amoCRM webhook subscribed");
    expect(messages).toContain("amoCRM webhook already subscribed");
    // The URL carries the webhook secret.
    expect(test.captured.lines.join("\n")).not.toContain("s3cret-path");
  });

  it("adds the missing events to a subscription made by hand", async () => {
    const test = await startConnected();
    emulator.subscribeWebhook(HOOK_URL, ["update_lead"]);

    expect((await test.connection.check()).ok).toBe(true);

    expect(hooksFor(HOOK_URL)).toEqual([
      expect.objectContaining({ settings: WEBHOOK_EVENTS }),
    ]);
  });

  it("leaves other subscriptions alone", async () => {
    const test = await startConnected();
    emulator.subscribeWebhook("https://other.example.com/hook", ["add_lead"]);

    await test.connection.check();

    expect(hooksFor("https://other.example.com/hook")).toHaveLength(1);
    expect(hooksFor(HOOK_URL)).toHaveLength(1);
  });

  it("subscribes nothing when the Check fails", async () => {
    test = await startTestConnection({ emulator, webhookUrl: HOOK_URL });
    emulator.clearRequests();

    expect((await test.connection.check()).ok).toBe(false);

    expect(emulator.state().webhooks).toEqual([]);
    expect(requestLines(emulator)).toEqual([]);
  });

  it("keeps the Check's result when amoCRM refuses the subscription", async () => {
    const test = await startConnected();
    emulator.injectFault({
      kind: "html403",
      count: 1,
      pathPrefix: "/api/v4/webhooks",
    });

    expect((await test.connection.check()).ok).toBe(true);

    const warnings = test.captured.lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.msg === "amoCRM webhook subscription failed");
    expect(warnings).toEqual([expect.objectContaining({ level: 40 })]);
  });
});
