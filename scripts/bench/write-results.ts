import { writeFileSync } from "node:fs";

import type { MachineDescription } from "./describe-machine.js";
import type { BundleSizeResult } from "./measure-bundle-size.js";
import type { RequestsPerSyncResult } from "./measure-requests-per-sync.js";
import type { StandaloneRssResult } from "./measure-standalone-rss.js";
import type { SyncThroughputResult } from "./measure-sync-throughput.js";
import type { WebhookAckResult } from "./measure-webhook-ack.js";
import type { WebhookTo1cLatencyResult } from "./measure-webhook-to-1c-latency.js";
import type { WidgetReadResult } from "./measure-widget-read.js";
import type { RssPeaks } from "./sample-peak-rss.js";

/**
 * The keys issue #7 names as bench-results.json's interface. Each is always
 * written: a phase that failed or did not run leaves it null, and
 * `run.errors` under the same key says why.
 */
export const INTERFACE_KEYS = [
  "webhook_ack_ms",
  "sync_throughput",
  "requests_per_sync",
  "latency_webhook_to_1c_ms",
  "widget_read_ms",
  "widget_bundle_gzip_bytes",
  "server_rss_mb",
] as const;
type InterfaceKey = (typeof INTERFACE_KEYS)[number];

const NOT_RUN =
  "not measured: its phase did not run (left out by --only, or a step before it failed; see the other errors)";

/** bench-results.json; null (or absent until written) when not measured. */
export interface BenchResults {
  webhook_ack_ms?: WebhookAckResult | null | undefined;
  sync_throughput?: SyncThroughputResult | null | undefined;
  requests_per_sync?: RequestsPerSyncResult | null | undefined;
  latency_webhook_to_1c_ms?: WebhookTo1cLatencyResult | null | undefined;
  latency_webhook_to_1c_no_debounce_ms?:
    WebhookTo1cLatencyResult | null | undefined;
  widget_read_ms?: WidgetReadResult | null | undefined;
  widget_bundle_gzip_bytes?: number | null | undefined;
  widget_bundle?: BundleSizeResult | undefined;
  /** Peak RSS (VmHWM) of amo1c alone: the compiled server in its own process. */
  server_rss_mb?: number | null | undefined;
  server_rss_detail?: {
    /** The bench process: amo1c plus both emulators plus the load threads. */
    in_process: RssPeaks;
    standalone?: StandaloneRssResult | undefined;
  };
  machine: MachineDescription & { load_average_at_end?: number[] };
  run: {
    duration_s: number;
    sizes: Record<string, number>;
    errors: Record<string, string>;
    load_average_by_phase: Record<string, number>;
    sqlite_synchronous: string;
  };
  targets?: TargetRow[];
}

export interface TargetRow {
  figure: string;
  value: number | null;
  target: string;
  met: boolean | null;
}

interface Target {
  figure: string;
  target: string;
  read: (r: BenchResults) => number | null | undefined;
  ok: (value: number) => boolean;
}

const KB = 1024;

const TARGETS: Target[] = [
  {
    figure: "webhooks lost",
    target: "0",
    read: (r) => r.webhook_ack_ms?.lost,
    ok: (v) => v === 0,
  },
  {
    figure: "webhook ack p99, ms",
    target: "≤ 25",
    read: (r) => r.webhook_ack_ms?.p99,
    ok: (v) => v <= 25,
  },
  {
    figure: "sync throughput / amoCRM bound",
    target: "≥ 0.9",
    read: (r) => r.sync_throughput?.bound_ratio,
    ok: (v) => v >= 0.9,
  },
  {
    figure: "amoCRM 429 answers",
    target: "0",
    read: (r) => r.sync_throughput?.amocrm_429s,
    ok: (v) => v === 0,
  },
  {
    figure: "first sync amoCRM reads",
    target: "≤ 2",
    read: (r) => r.requests_per_sync?.first_sync.amocrm_reads,
    ok: (v) => v <= 2,
  },
  {
    figure: "unchanged re-sync 1C writes",
    target: "0",
    read: (r) => r.requests_per_sync?.unchanged_resync.onec_writes,
    ok: (v) => v === 0,
  },
  {
    figure: "widget read p99, ms",
    target: "≤ 10",
    read: (r) => r.widget_read_ms?.p99,
    ok: (v) => v <= 10,
  },
  {
    figure: "widget bundle gzip, KB",
    target: "≤ 15",
    read: (r) =>
      r.widget_bundle_gzip_bytes == null
        ? undefined
        : Math.round((r.widget_bundle_gzip_bytes / KB) * 100) / 100,
    ok: (v) => v <= 15,
  },
  {
    figure: "RSS, amo1c alone (npm start, compiled), MB",
    target: "≤ 200",
    read: (r) => r.server_rss_mb,
    ok: (v) => v <= 200,
  },
  {
    figure: "webhook ack p99, amo1c alone, ms",
    target: "≤ 25",
    read: (r) =>
      r.server_rss_detail?.standalone?.npm_start.webhook_ack_ms.p99 ??
      undefined,
    ok: (v) => v <= 25,
  },
  {
    figure: "widget read p99, amo1c alone, ms",
    target: "≤ 10",
    read: (r) =>
      r.server_rss_detail?.standalone?.npm_start.widget_read_ms.p99 ??
      undefined,
    ok: (v) => v <= 10,
  },
];

export function evaluateTargets(results: BenchResults): TargetRow[] {
  return TARGETS.map((t) => {
    const value = t.read(results) ?? null;
    return {
      figure: t.figure,
      value,
      target: t.target,
      met: value === null ? null : t.ok(value),
    };
  });
}

/**
 * server_rss_mb is amo1c's own peak, from the standalone process; the bench
 * process also holds both emulators and the load threads, so its peak is
 * detail only.
 */
export function recordRss(
  results: BenchResults,
  inProcess: RssPeaks,
  standalone: StandaloneRssResult | undefined,
): void {
  results.server_rss_mb = standalone?.npm_start.peak_rss_mb ?? null;
  results.server_rss_detail = { in_process: inProcess, standalone };
}

/** Writes bench-results.json with every interface key (see INTERFACE_KEYS). */
export function writeResults(file: string, results: BenchResults): void {
  const complete = completeResults(results);
  writeFileSync(file, `${JSON.stringify(complete, null, 2)}\n`);
}

/** A copy where each interface key not measured is null, with its reason. */
export function completeResults(results: BenchResults): BenchResults {
  const errors = { ...results.run.errors };
  const missing: Partial<Record<InterfaceKey, null>> = {};
  for (const key of INTERFACE_KEYS) {
    if (results[key] != null) continue;
    missing[key] = null;
    errors[key] ??= NOT_RUN;
  }
  return { ...results, ...missing, run: { ...results.run, errors } };
}

/** The targets as a text table: figure, value, target, whether it is met. */
export function formatTargetTable(rows: TargetRow[]): string {
  const cells = rows.map((r) => [
    r.figure,
    r.value === null ? "—" : String(r.value),
    r.target,
    r.met === null ? "not measured" : r.met ? "met" : "MISSED",
  ]);
  return formatTable(["figure", "value", "target", ""], cells);
}

/** Every other figure, one phase per line group: key = value. */
export function formatDetails(results: BenchResults): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(results)) {
    if (key === "targets" || typeof value !== "object" || value === null)
      continue;
    lines.push(`${key}:`);
    for (const [field, inner] of Object.entries(value as object)) {
      if (Array.isArray(inner) && typeof inner[0] === "string") continue;
      lines.push(`  ${field} = ${JSON.stringify(inner)}`);
    }
  }
  return lines.join("\n");
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}
