import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { findFreePort } from "../stand/find-free-port.js";
import type { Stand } from "../stand/start-stand.js";
import { hookAccountOf, hookLeadsOf } from "./bench-stand.js";
import { buildLeadWebhookBody, type HookLead } from "./build-webhook-body.js";
import {
  prepareStandaloneAmo1c,
  type StandaloneAmo1c,
} from "./prepare-standalone-amo1c.js";
import { runLoadInWorker } from "./run-load-in-worker.js";
import { readProcMemory } from "./sample-peak-rss.js";
import type { LoadPlan, LoadRequest } from "./run-open-loop.js";

export interface StandaloneRssOptions {
  /** Its emulators (and synced deals) serve the standalone process. */
  stand: Stand;
  dealIds: number[];
  webhooksPerSecond: number;
  readsPerSecond: number;
  durationSeconds: number;
  log: (line: string) => void;
}

export interface StandaloneRssResult {
  /** The kernel's high-water mark (VmHWM) of the amo1c process. */
  peak_rss_mb: number;
  /** Started and ready, before any load. */
  rss_idle_mb: number;
  rss_at_end_mb: number;
  /** An empty TypeScript file under the same `node --import tsx`: the runtime's share. */
  tsx_idle_rss_mb: number;
  webhooks_sent: number;
  webhook_non_2xx: number;
  widget_reads: number;
  widget_non_200: number;
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const ANSWER_TIMEOUT_MS = 10_000;
const IDLE_SETTLE_MS = 500;

/**
 * amo1c alone, started as `npm start` starts it (the production entry under
 * tsx, workers and scheduler on), takes webhooks and deal-card reads at once
 * while its syncs run; its peak RSS then excludes the emulators.
 */
export async function measureStandaloneRss(
  options: StandaloneRssOptions,
): Promise<StandaloneRssResult> {
  const dataDir = mkdtempSync(join(tmpdir(), "amo1c-bench-alone-"));
  const prepared = await prepareStandaloneAmo1c({
    stand: options.stand,
    dataDir,
    port: await findFreePort(),
  });
  const child = startProductionEntry(prepared);
  try {
    await waitUntilReady(prepared.publicUrl, child);
    const idle = readProcMemory(child.pid ?? 0);
    options.log(
      `amo1c alone (pid ${child.pid}): ${options.webhooksPerSecond} webhooks/s and ${options.readsPerSecond} card reads/s for ${options.durationSeconds} s`,
    );
    const [hooks, reads] = await Promise.all([
      runLoadInWorker(webhookPlan(options, prepared)),
      runLoadInWorker(readPlan(options, prepared)),
    ]);
    const memory = readProcMemory(child.pid ?? 0);
    return {
      tsx_idle_rss_mb: await measureTsxIdleRss(dataDir),
      peak_rss_mb: Math.round(memory.peakKb / 1024),
      rss_idle_mb: Math.round(idle.rssKb / 1024),
      rss_at_end_mb: Math.round(memory.rssKb / 1024),
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

function startProductionEntry(prepared: StandaloneAmo1c): ChildProcess {
  // node itself with tsx's loader: `npx tsx` would add a wrapper process,
  // and its pid is not amo1c's.
  return spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    cwd: REPO_ROOT,
    env: { PATH: process.env["PATH"] ?? "", ...prepared.env },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function waitUntilReady(url: string, child: ChildProcess) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`amo1c alone exited with ${child.exitCode}`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error("amo1c alone did not answer /healthz in time");
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
async function measureTsxIdleRss(dataDir: string): Promise<number> {
  const file = join(dataDir, "idle.ts");
  writeFileSync(
    file,
    'const ready: string = "ready";\nconsole.log(ready);\nsetInterval(() => {}, 1000);\n',
  );
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await Promise.race([
      new Promise((resolve) => child.stdout?.once("data", resolve)),
      new Promise((resolve) => child.once("exit", resolve)),
      sleep(READY_TIMEOUT_MS),
    ]);
    await sleep(IDLE_SETTLE_MS);
    return Math.round(readProcMemory(child.pid ?? 0).rssKb / 1024);
  } finally {
    await stopChild(child);
  }
}

/** SIGTERM lets amo1c finish its running jobs; SIGKILL after a while. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const late = await Promise.race([
    exited.then(() => false),
    sleep(STOP_TIMEOUT_MS).then(() => true),
  ]);
  if (late) child.kill("SIGKILL");
}
