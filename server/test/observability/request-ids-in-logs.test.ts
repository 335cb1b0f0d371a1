import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { findFreePort } from "../../../scripts/stand/find-free-port.js";
import { createAmo1c, type Amo1c } from "../../src/app/create-amo1c.js";
import { loadConfig } from "../../src/config/load-config.js";
import { captureLog, type CapturedLog } from "../helpers/capture-log.js";
import {
  signWidgetToken,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
} from "../helpers/sign-widget-token.js";

const ACCOUNT_ID = 31000001;
const dir = mkdtempSync(join(tmpdir(), "amo1c-reqids-"));
let amo1c: Amo1c;
let url: string;
let captured: CapturedLog;

beforeAll(async () => {
  const port = await findFreePort();
  captured = captureLog("debug");
  amo1c = await createAmo1c({
    config: loadConfig({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: `file:${join(dir, "amo1c.db")}`,
      AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
      AMOCRM_CLIENT_ID: TEST_CLIENT_ID,
      AMOCRM_CLIENT_SECRET: TEST_CLIENT_SECRET,
    }),
    log: captured.log,
    schedule: false,
    queue: { debounceMs: 20, pollMs: 20, maxAttempts: 1 },
    syncWaitMs: 3000,
  });
  ({ url } = await amo1c.listen(port, "127.0.0.1"));
  await amo1c.start();
});

afterAll(async () => {
  await amo1c.stop();
  rmSync(dir, { recursive: true, force: true });
});

const widgetHeaders = (reqId: string) => ({
  "content-type": "application/json",
  "x-auth-token": signWidgetToken(new URL(url).origin),
  "x-request-id": reqId,
});

function linesWith(field: string, value: unknown) {
  return captured.lines.filter((l) => l[field] === value);
}

async function waitForLine(
  match: (line: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const found = captured.lines.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no such log line in:\n${captured.text()}`);
}

describe("log lines carry the request and job ids", () => {
  test("widget API lines carry the request id", async () => {
    const res = await fetch(`${url}/api/v1/settings`, {
      method: "PUT",
      headers: widgetHeaders("req-settings-1"),
      body: JSON.stringify({
        amocrm: { host: "acme.amocrm.ru" },
        onec: {
          odataUrl: "http://127.0.0.1:9/base/odata/standard.odata",
          user: "amo1c",
          profile: "ut11",
          timeZone: "Europe/Moscow",
        },
        exchange: {},
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-settings-1");
    expect(linesWith("msg", "settings saved")).toEqual([
      expect.objectContaining({ reqId: "req-settings-1" }),
    ]);
  });

  test("a webhook's acceptance line and the sync it queued carry its request id", async () => {
    const stored = await amo1c.settings.amocrm();
    await amo1c.settings.put("amocrm", {
      ...stored!,
      accountId: ACCOUNT_ID,
    });
    const hook = await amo1c.webhookUrl();

    const res = await fetch(hook.replace(/^https?:\/\/[^/]+/, url), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-request-id": "req-webhook-1",
      },
      body: `leads[update][0][id]=5001&account[id]=${ACCOUNT_ID}&account[subdomain]=acme`,
    });
    expect(res.status).toBe(200);
    expect(linesWith("msg", "webhook accepted")).toEqual([
      expect.objectContaining({ reqId: "req-webhook-1" }),
    ]);

    const outcome = await waitForLine(
      (l) => l["dealId"] === 5001 && /^deal sync/.test(String(l["msg"])),
    );
    expect(outcome).toMatchObject({
      reqId: "req-webhook-1",
      jobId: expect.any(String) as unknown,
      dealId: 5001,
    });
  });

  test("a manual re-sync's run carries the re-sync call's request id", async () => {
    const res = await fetch(`${url}/api/v1/deals/5002/sync`, {
      method: "POST",
      headers: widgetHeaders("req-resync-1"),
    });
    expect(res.status).toBe(200);

    const outcome = await waitForLine(
      (l) => l["dealId"] === 5002 && /^deal sync/.test(String(l["msg"])),
    );
    expect(outcome).toMatchObject({
      reqId: "req-resync-1",
      jobId: expect.any(String) as unknown,
    });
    // No line names its ids twice (a child's bindings and the context).
    expect(captured.text()).not.toMatch(/"jobId":[^,]+,(.*)"jobId":/);
  });
});
