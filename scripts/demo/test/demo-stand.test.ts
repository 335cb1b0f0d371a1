import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import type { DealView } from "../../../shared/deal-view.js";
import { createLogger } from "../../../server/src/log.js";
import { startDemo, type Demo } from "../start-demo.js";

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** A seeded deal with a company and its INN (demo-seed.json). */
const DEAL_ID = 1100002;
const NEW_PRICE = 1_312_000;
/** The first load of the 30 seeded deals runs through the queue's debounce. */
const FIRST_LOAD_MS = 60_000;
const STEP_MS = 20_000;

type OnecOrder = { Ref_Key: string; СуммаДокумента: number };

async function dealView(demo: Demo): Promise<DealView> {
  const res = await fetch(`${demo.stand.url}/api/v1/deals/${DEAL_ID}`, {
    headers: { "x-auth-token": demo.stand.widgetToken() },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as DealView;
}

/** The 1C orders as the demo page shows them, read from the 1C emulator. */
async function onecOrders(demo: Demo): Promise<OnecOrder[]> {
  const res = await fetch(`${demo.stand.url}/demo/state.json`);
  const state = (await res.json()) as { onec: Record<string, OnecOrder[]> };
  return state.onec["Document_ЗаказКлиента"] ?? [];
}

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`gave up waiting: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const settled = (since: string) => (view: DealView) =>
  !view.pending && view.lastRun?.status === "ok" && view.lastRun.at >= since;

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch {
    return true;
  }
}

describe("the demo stand", () => {
  let demo: Demo;
  let stopped = false;

  beforeAll(async () => {
    demo = await startDemo({
      port: 0,
      amocrmPort: 0,
      onecPort: 0,
      log: createLogger({ level: "silent" }),
    });
  });
  afterAll(async () => {
    if (!stopped) await demo?.stop();
  });

  test(
    "carries a price edited on the demo page to the 1C order and the deal card",
    async () => {
      const first = await until(
        () => dealView(demo),
        settled(""),
        FIRST_LOAD_MS,
      );
      const ref = first.order?.ref;
      expect(ref).toBeTruthy();
      const before = (await onecOrders(demo)).find((o) => o.Ref_Key === ref);
      expect(before?.СуммаДокумента).toBe(first.order?.sum);
      expect(before?.СуммаДокумента).not.toBe(NEW_PRICE);

      const since = new Date().toISOString();
      const edit = await fetch(`${demo.stand.url}/demo/leads/${DEAL_ID}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ price: NEW_PRICE }),
      });
      expect(edit.status).toBe(200);

      const after = await until(() => dealView(demo), settled(since), STEP_MS);
      expect(after.order).toMatchObject({ ref, sum: NEW_PRICE });
      const order = (await onecOrders(demo)).find((o) => o.Ref_Key === ref);
      expect(order?.СуммаДокумента).toBe(NEW_PRICE);
    },
    FIRST_LOAD_MS + 2 * STEP_MS,
  );

  test("stops amo1c and both emulators", async () => {
    const urls = [demo.stand.url, demo.stand.amocrm.url, demo.stand.odataUrl];
    await demo.stop();
    stopped = true;

    for (const url of urls) expect(await refused(url)).toBe(true);
  });
});

describe("npm run demo", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill("SIGKILL");
  });

  /** The lines main.ts prints once the stand is up, or its failure. */
  function waitForBanner(process: ChildProcess): Promise<string> {
    let output = "";
    return new Promise((resolve, reject) => {
      process.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (output.includes("Ctrl-C stops everything")) resolve(output);
      });
      process.once("exit", (code) =>
        reject(new Error(`demo exited with ${code}: ${output}`)),
      );
    });
  }

  test("starts on the ports it is given and stops everything on Ctrl-C", async () => {
    child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/demo/main.ts"],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env["PATH"] ?? "",
          PORT: "0",
          AMOCRM_EMULATOR_PORT: "0",
          ONEC_EMULATOR_PORT: "0",
          LOG_LEVEL: "silent",
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const banner = await waitForBanner(child);
    const urls = [...banner.matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map(
      (m) => m[0],
    );
    expect(urls).toHaveLength(4);
    const demoPage = await fetch(`${urls[0]}/demo`);
    expect(demoPage.status).toBe(200);

    const exited = once(child, "exit");
    child.kill("SIGINT");
    const [code] = (await exited) as [number | null];

    expect(code).toBe(0);
    for (const url of urls) expect(await refused(url)).toBe(true);
  }, 60_000);
});
