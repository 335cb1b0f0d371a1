import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { buildServer } from "../build-server.js";
import { findFreePort } from "../stand/find-free-port.js";
import type { Stand } from "../stand/start-stand.js";
import { hookAccountOf, hookLeadsOf } from "./bench-stand.js";
import { buildLeadWebhookBody, type HookLead } from "./build-webhook-body.js";
import { stopChild, waitUntilHealthy } from "./control-child-process.js";
import {
  prepareStandaloneAmo1c,
  type StandaloneAmo1c,
} from "./prepare-standalone-amo1c.js";
import { roundSummary, summarize, type Summary } from "./percentiles.js";
import { runLoadInWorker } from "./run-load-in-worker.js";
import type { LoadPlan, LoadRequest, LoadResult } from "./run-open-loop.js";
import { readProcMemory } from "./sample-peak-rss.js";

export interface StandaloneRssOptions {
  /** Its emulators (and synced deals) serve the standalone processes. */
  stand: Stand;
  dealIds: number[];
  webhooksPerSecond: number;
  readsPerSecond: number;
  /** Of each of the two loads. */
  durationSeconds: number;
  /** Extra node flags for the process, such as --max-semi-space-size=2. */
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
  /** Answer times under the mixed load, from each request's scheduled send. */
  webhook_ack_ms: Summary;
  widget_read_ms: Summary;
}

export interface StandaloneRssResult {
  node_flags: string[];
  /** `npm start`: the compiled bundle (`npm run build:server`) under plain node. */
  npm_start: StandaloneRun;
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ANSWER_TIMEOUT_MS = 10_000;
const KB_PER_MB = 1024;

/**
 * amo1c as `npm start` runs it, in a process of its own (workers and
 * scheduler on, the emulators in the bench's process), under the bench's
 * two loads one after the other while its syncs run: webhooks at the ack
 * phase's rate, then deal-card reads at the read phase's rate. Its peak
 * memory is amo1c's own, and its answer times are those of the shape
 * production runs in.
 */
export async function measureStandaloneRss(
  options: StandaloneRssOptions,
): Promise<StandaloneRssResult> {
  const flags = options.nodeFlags ?? [];
  const npmStart = await runAlone(options, [
    ...flags,
    "--enable-source-maps",
    await buildServer(),
  ]);
  return { node_flags: flags, npm_start: npmStart };
}

async function runAlone(
  options: StandaloneRssOptions,
  nodeArgs: string[],
): Promise<StandaloneRun> {
  const dataDir = mkdtempSync(join(tmpdir(), "amo1c-bench-alone-"));
  const prepared = await prepareStandaloneAmo1c({
    stand: options.stand,
    dataDir,
    port: await findFreePort(),
  });
  // node itself, not `npm start`: the npm process would hide amo1c's pid.
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    env: { PATH: process.env["PATH"] ?? "", ...prepared.env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitUntilHealthy(prepared.publicUrl, child);
    const idle = readProcMemory(child.pid ?? 0);
    options.log(
      `amo1c alone (npm start): ${options.webhooksPerSecond} webhooks/s for ${options.durationSeconds} s, then ${options.readsPerSecond} card reads/s for ${options.durationSeconds} s`,
    );
    const hooks = await runLoadInWorker(webhookPlan(options, prepared));
    const reads = await runLoadInWorker(readPlan(options, prepared));
    const memory = readProcMemory(child.pid ?? 0);
    return {
      peak_rss_mb: Math.round(memory.peakKb / KB_PER_MB),
      rss_idle_mb: Math.round(idle.rssKb / KB_PER_MB),
      rss_at_end_mb: Math.round(memory.rssKb / KB_PER_MB),
      webhooks_sent: hooks.statuses.length,
      webhook_non_2xx: hooks.statuses.filter((s) => s < 200 || s >= 300).length,
      widget_reads: reads.statuses.length,
      widget_non_200: reads.statuses.filter((s) => s !== 200).length,
      webhook_ack_ms: answerTimes(hooks),
      widget_read_ms: answerTimes(reads),
    };
  } finally {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function answerTimes(load: LoadResult): Summary {
  return roundSummary(
    summarize(load.latenciesMs.filter((ms) => !Number.isNaN(ms))),
  );
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
