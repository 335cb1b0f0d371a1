import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

import { forceSqliteSynchronous, startBenchStand } from "./bench-stand.js";
import { describeMachine, loadAverage } from "./describe-machine.js";
import { generateBenchSeed } from "./generate-bench-seed.js";
import { measureBundleSize } from "./measure-bundle-size.js";
import { measureRequestsPerSync } from "./measure-requests-per-sync.js";
import {
  measureStandaloneRss,
  type StandaloneRssResult,
} from "./measure-standalone-rss.js";
import { measureSyncThroughput } from "./measure-sync-throughput.js";
import { measureWebhookAck } from "./measure-webhook-ack.js";
import { measureWebhookTo1cLatency } from "./measure-webhook-to-1c-latency.js";
import { measureWidgetRead } from "./measure-widget-read.js";
import {
  BENCH_GROUPS,
  parseBenchOptions,
  type BenchGroup,
} from "./parse-bench-options.js";
import { samplePeakRss, type RssSampler } from "./sample-peak-rss.js";
import {
  evaluateTargets,
  formatDetails,
  formatTargetTable,
  recordRss,
  writeResults,
  type BenchResults,
} from "./write-results.js";

interface BenchSizes {
  webhookRate: number;
  webhookSeconds: number;
  requestDeals: number;
  syncDeals: number;
  /** Queue workers for the burst: see docs/performance.md for the choice. */
  concurrency: number;
  readRate: number;
  readSeconds: number;
  standaloneSeconds: number;
  latencyDeals: number;
  debouncedLatencyDeals: number;
}

/**
 * Sized for five minutes on 2 cores. The burst takes about 160 s whatever
 * the machine: amoCRM lets through 3.4 first syncs a second. The two latency
 * series run side by side in about a minute; 10 debounced changes fit, each
 * taking the 3 s window plus the run.
 */
// Every stand runs on SQLite, the default; the PostgreSQL queue (pg-boss)
// and several instances sharing it are not measured (docs/performance.md).
const FULL: BenchSizes = {
  webhookRate: 300,
  webhookSeconds: 20,
  requestDeals: 2,
  syncDeals: 500,
  concurrency: 16,
  readRate: 200,
  readSeconds: 10,
  standaloneSeconds: 10,
  latencyDeals: 20,
  debouncedLatencyDeals: 10,
};

/** A smoke run of the same phases in about a minute. */
const QUICK: BenchSizes = {
  ...FULL,
  webhookSeconds: 3,
  requestDeals: 2,
  syncDeals: 40,
  readSeconds: 3,
  standaloneSeconds: 3,
  latencyDeals: 3,
  debouncedLatencyDeals: 2,
};

const RSS_SAMPLE_MS = 250;
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface BenchContext {
  sizes: BenchSizes;
  started: number;
  rss: RssSampler;
  errors: Record<string, string>;
  only: Set<BenchGroup>;
  aloneNodeFlags: string[];
  /** The 1-minute load average as each phase ended. */
  loadByPhase: Record<string, number>;
  standalone?: StandaloneRssResult | undefined;
}

async function main(): Promise<void> {
  const options = parseBenchOptions();
  const sizes = { ...(options.quick ? QUICK : FULL) };
  if (options.deals !== undefined) sizes.syncDeals = options.deals;
  if (options.concurrency !== undefined)
    sizes.concurrency = options.concurrency;
  forceSqliteSynchronous(options.sqliteSync ?? null);

  const ctx: BenchContext = {
    sizes,
    started: performance.now(),
    rss: samplePeakRss(RSS_SAMPLE_MS),
    errors: {},
    only: new Set(options.only ?? BENCH_GROUPS),
    aloneNodeFlags: options.aloneNodeFlags?.split(/\s+/).filter(Boolean) ?? [],
    loadByPhase: {},
  };
  const results: BenchResults = {
    machine: describeMachine(),
    run: {
      duration_s: 0,
      sizes: { ...sizes },
      errors: ctx.errors,
      load_average_by_phase: ctx.loadByPhase,
      sqlite_synchronous: options.sqliteSync ?? "amo1c's own",
    },
  };
  warnIfBusy(results.machine.load_average_at_start, results.machine.cores);

  await runAllPhases(ctx, results);
  finish(ctx, results, options.out);
}

async function runAllPhases(ctx: BenchContext, results: BenchResults) {
  const { sizes, only } = ctx;
  if (only.has("bundle")) {
    const bundle = await runPhase(
      ctx,
      "widget_bundle_gzip_bytes",
      async (log) => measureBundleSize(log),
    );
    results.widget_bundle = bundle;
    results.widget_bundle_gzip_bytes = bundle?.gzip_bytes;
  }
  if (only.has("ack")) {
    results.webhook_ack_ms = await runPhase(ctx, "webhook_ack_ms", (log) =>
      measureWebhookAck({
        ratePerSecond: sizes.webhookRate,
        durationSeconds: sizes.webhookSeconds,
        log,
      }),
    );
  }
  if (only.has("requests")) {
    results.requests_per_sync = await runPhase(
      ctx,
      "requests_per_sync",
      (log) => measureRequestsPerSync({ deals: sizes.requestDeals, log }),
    );
  }
  if (only.has("sync") || only.has("reads") || only.has("rss"))
    await runBurstPhases(ctx, results);
  if (only.has("latency")) await runLatencyPhases(ctx, results);
}

/**
 * The two latency series run side by side, each in a stand of its own
 * (own emulators, own amoCRM budget) and each one deal at a time: a run
 * costs milliseconds of CPU against seconds of waiting on 1C and amoCRM,
 * and in sequence the two would not fit the run's five minutes.
 */
async function runLatencyPhases(ctx: BenchContext, results: BenchResults) {
  const { sizes } = ctx;
  const [noDebounce, debounced] = await Promise.all([
    runPhase(ctx, "latency_webhook_to_1c_no_debounce_ms", (log) =>
      measureWebhookTo1cLatency({
        deals: sizes.latencyDeals,
        debounceMs: 0,
        log,
      }),
    ),
    runPhase(ctx, "latency_webhook_to_1c_ms", (log) =>
      measureWebhookTo1cLatency({ deals: sizes.debouncedLatencyDeals, log }),
    ),
  ]);
  results.latency_webhook_to_1c_no_debounce_ms = noDebounce;
  results.latency_webhook_to_1c_ms = debounced;
}

/**
 * The burst, then the card reads and amo1c alone against the same stand:
 * by then it holds synced deals to read and 1C objects to find (so `reads`
 * and `rss` run the burst too).
 */
async function runBurstPhases(ctx: BenchContext, results: BenchResults) {
  const { sizes } = ctx;
  const { seed, dealIds } = generateBenchSeed(sizes.syncDeals);
  // Without its stand none of the burst's figures is measured: each is
  // written as null, and the stand's failure is the error beside them.
  const stand = await runPhase(ctx, "burst_stand", () =>
    startBenchStand({
      amocrmSeed: seed,
      queue: { concurrency: sizes.concurrency },
    }),
  );
  if (!stand) return;
  try {
    results.sync_throughput = await runPhase(ctx, "sync_throughput", (log) =>
      measureSyncThroughput(stand, {
        dealIds,
        concurrency: sizes.concurrency,
        timeoutMs: sizes.syncDeals * 500 + 60_000,
        log,
      }),
    );
    if (ctx.only.has("reads")) {
      results.widget_read_ms = await runPhase(ctx, "widget_read_ms", (log) =>
        measureWidgetRead(stand, {
          dealIds,
          ratePerSecond: sizes.readRate,
          durationSeconds: sizes.readSeconds,
          log,
        }),
      );
    }
    if (!ctx.only.has("rss")) return;
    ctx.standalone = await runPhase(ctx, "server_rss_mb", (log) =>
      measureStandaloneRss({
        stand,
        dealIds,
        webhooksPerSecond: sizes.webhookRate,
        readsPerSecond: sizes.readRate,
        durationSeconds: sizes.standaloneSeconds,
        nodeFlags: ctx.aloneNodeFlags,
        log,
      }),
    );
  } finally {
    await stand.stop();
  }
}

/**
 * Runs one phase, named after the results key it fills; a failure is
 * recorded under that name and the others still run.
 */
async function runPhase<T>(
  ctx: BenchContext,
  name: string,
  measure: (log: (line: string) => void) => Promise<T>,
): Promise<T | undefined> {
  const log = (line: string) => say(ctx, `${name}: ${line}`);
  ctx.rss.phase(name);
  log("starting");
  const phaseStart = performance.now();
  try {
    const result = await measure(log);
    ctx.loadByPhase[name] = loadAverage()[0] ?? 0;
    log(`done in ${seconds(performance.now() - phaseStart)} s`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.errors[name] = message;
    log(`FAILED: ${message}`);
    return undefined;
  }
}

function finish(ctx: BenchContext, results: BenchResults, out: string) {
  recordRss(results, ctx.rss.stop(), ctx.standalone);
  results.machine.load_average_at_end = loadAverage();
  results.run.duration_s = seconds(performance.now() - ctx.started);
  results.targets = evaluateTargets(results);

  const file = out.startsWith("/") ? out : `${REPO_ROOT}${out}`;
  writeResults(file, results);
  console.log(`\n${formatDetails(results)}\n`);
  console.log(formatTargetTable(results.targets));
  console.log(`\nwrote ${file} in ${results.run.duration_s} s`);
  if (Object.keys(ctx.errors).length > 0) process.exitCode = 1;
}

function warnIfBusy(load: number[], cores: number) {
  const oneMinute = load[0] ?? 0;
  if (oneMinute > cores / 2) {
    console.log(
      `warning: load average ${oneMinute} on ${cores} cores before the run; other work will show in the figures`,
    );
  }
}

function say(ctx: BenchContext, line: string) {
  const at = seconds(performance.now() - ctx.started).toFixed(1);
  console.log(`[${at.padStart(6)} s] ${line}`);
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

main().catch((error: unknown) => {
  console.error("bench failed:", error);
  process.exit(1);
});
