import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { findFreePort } from "../stand/find-free-port.js";
import type { Stand } from "../stand/start-stand.js";
import { hookAccountOf, hookLeadsOf } from "./bench-stand.js";
import { buildLeadWebhookBody, type HookLead } from "./build-webhook-body.js";
import { bundleProductionEntry } from "./bundle-production-entry.js";
import {
  stopChild,
  waitForFirstOutput,
  waitUntilHealthy,
} from "./control-child-process.js";
import {
  prepareStandaloneAmo1c,
  type StandaloneAmo1c,
} from "./prepare-standalone-amo1c.js";
import { runLoadInWorker } from "./run-load-in-worker.js";
import type { LoadPlan, LoadRequest } from "./run-open-loop.js";
import { readProcMemory } from "./sample-peak-rss.js";

export interface StandaloneRssOptions {
  /** Its emulators (and synced deals) serve the standalone processes. */
  stand: Stand;
  dealIds: number[];
  webhooksPerSecond: number;
  readsPerSecond: number;
  /** Of the load on each of the two processes. */
  durationSeconds: number;
  /** Extra node flags for both processes, such as --max-semi-space-size=2. */
  nodeFlags?: string[] | undefined;
  log: (line: string) => void;
}

export interface StandaloneRun {
  /** The kernel's high-water mark (VmHWM) of the amo1c process. */
  peak_rss_mb: number;
  /** Started and ready, before any load. */
  rss_idle_mb: number;
  rss_at_end_mb: number;
  webhooks_sent: number;
  webhook_non_2xx: number;
  widget_reads: number;
  widget_non_200: number;
}

export interface StandaloneRssResult {
  node_flags: string[];
  /** `npm start`: node with tsx's loader running the TypeScript sources. */
  npm_start: StandaloneRun;
  /** The same entry bundled to JavaScript and run by plain node. */
  compiled: StandaloneRun;
  /** A TypeScript file that does nothing, under `node --import tsx`. */
  tsx_idle_rss_mb: number;
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ANSWER_TIMEOUT_MS = 10_000;
const IDLE_SETTLE_MS = 500;
const KB_PER_MB = 1024;

/**
 * amo1c alone in a process of its own (workers and scheduler on, the
 * emulators elsewhere) takes webhooks and deal-card reads at once while its
 * syncs run: once as `npm start` runs it, once compiled. The difference
 * with the idle tsx process shows what the TypeScript runtime costs.
 */
export async function measureStandaloneRss(
  options: StandaloneRssOptions,
): Promise<StandaloneRssResult> {
  const flags = options.nodeFlags ?? [];
  const npmStart = await runAlone(options, "npm start (tsx)", [
    ...flags,
    "--import",
    "tsx",
    "server/src/main.ts",
  ]);
  const compiled = await runAlone(options, "compiled", [
    ...flags,
    await bundleProductionEntry(),
  ]);
  return {
    node_flags: flags,
    npm_start: npmStart,
    compiled,
    tsx_idle_rss_mb: await measureTsxIdleRss(),
  };
}

async function runAlone(
  options: StandaloneRssOptions,
  label: string,
  nodeArgs: string[],
): Promise<StandaloneRun> {
  const dataDir = mkdtempSync(join(tmpdir(), "amo1c-bench-alone-"));
  const prepared = await prepareStandaloneAmo1c({
    stand: options.stand,
    dataDir,
    port: await findFreePort(),
  });
  // node itself, not `npx tsx`: the wrapper process would hide amo1c's pid.
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    env: { PATH: process.env["PATH"] ?? "", ...prepared.env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitUntilHealthy(prepared.publicUrl, child);
    const idle = readProcMemory(child.pid ?? 0);
    options.log(
      `amo1c alone, ${label}: ${options.webhooksPerSecond} webhooks/s and ${options.readsPerSecond} card reads/s for ${options.durationSeconds} s`,
    );
    const [hooks, reads] = await Promise.all([
      runLoadInWorker(webhookPlan(options, prepared)),
      runLoadInWorker(readPlan(options, prepared)),
    ]);
    const memory = readProcMemory(child.pid ?? 0);
    return {
      peak_rss_mb: Math.round(memory.peakKb / KB_PER_MB),
      rss_idle_mb: Math.round(idle.rssKb / KB_PER_MB),
      rss_at_end_mb: Math.round(memory.rssKb / KB_PER_MB),
      webhooks_sent: hooks.statuses.length,
      webhook_non_2xx: hooks.statuses.filter((s) => s < 200 || s >= 300).length,
      widget_reads: reads.statuses.length,
      widget_non_200: reads.statuses.filter((s) => s !== 200).length,
    };
  } finally {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function webhookPlan(
  options: StandaloneRssOptions,
  prepared: StandaloneAmo1c,
): LoadPlan {
  const account = hookAccountOf(options.stand);
  const leads = hookLeadsOf(options.stand, options.dealIds);
  const path = new URL(prepared.webhookUrl).pathname;
  const count = options.webhooksPerSecond * options.durationSeconds;
  const requests: LoadRequest[] = Array.from({ length: count }, (_, i) => ({
    method: "POST",
    path,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: buildLeadWebhookBody(account, [leads[i % leads.length] as HookLead]),
  }));
  return {
    origin: prepared.publicUrl,
    ratePerSecond: options.webhooksPerSecond,
    requests,
    timeoutMs: ANSWER_TIMEOUT_MS,
  };
}

function readPlan(
  options: StandaloneRssOptions,
  prepared: StandaloneAmo1c,
): LoadPlan {
  const { amocrm } = options.stand;
  const admin = amocrm.state().seed.users.find((u) => u.is_admin);
  const count = options.readsPerSecond * options.durationSeconds;
  const requests: LoadRequest[] = Array.from({ length: count }, (_, i) => ({
    method: "GET",
    path: `/api/v1/deals/${options.dealIds[i % options.dealIds.length]}`,
    headers: {
      "x-auth-token": amocrm.signDisposableToken({
        userId: admin?.id ?? 0,
        isAdmin: true,
        aud: prepared.publicUrl,
      }),
    },
  }));
  return {
    origin: prepared.publicUrl,
    ratePerSecond: options.readsPerSecond,
    requests,
    timeoutMs: ANSWER_TIMEOUT_MS,
  };
}

/** The RSS of `node --import tsx` running a TypeScript file that does nothing. */
async function measureTsxIdleRss(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "amo1c-bench-idle-"));
  const file = join(dir, "idle.ts");
  writeFileSync(
    file,
    'const ready: string = "ready";\nconsole.log(ready);\nsetInterval(() => {}, 1000);\n',
  );
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await waitForFirstOutput(child);
    await sleep(IDLE_SETTLE_MS);
    return Math.round(readProcMemory(child.pid ?? 0).rssKb / KB_PER_MB);
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}
