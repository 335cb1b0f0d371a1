import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, test } from "vitest";

import type { StandaloneRssResult } from "./measure-standalone-rss.js";
import type { RssPeaks } from "./sample-peak-rss.js";
import {
  evaluateTargets,
  recordRss,
  writeResults,
  type BenchResults,
} from "./write-results.js";

/** The keys issue #7 names as the interface of bench-results.json. */
const FIGURE_KEYS = [
  "webhook_ack_ms",
  "sync_throughput",
  "requests_per_sync",
  "latency_webhook_to_1c_ms",
  "widget_read_ms",
  "widget_bundle_gzip_bytes",
  "server_rss_mb",
];

const IN_PROCESS: RssPeaks = {
  peak_mb: 329,
  kernel_peak_mb: 331,
  by_phase_mb: { webhook_ack_ms: 329 },
};

function bareResults(errors: Record<string, string> = {}): BenchResults {
  return {
    machine: {
      cores: 2,
      cpu: "test cpu",
      memory_mb: 4096,
      node: "v20.19.0",
      platform: "linux test",
      date: "2026-05-01T10:00:00.000Z",
      load_average_at_start: [0.1, 0.1, 0.1],
    },
    run: {
      duration_s: 1,
      sizes: {},
      errors,
      load_average_by_phase: {},
      sqlite_synchronous: "amo1c's own",
    },
  };
}

/** A standalone run whose only figure that matters here is its peak. */
function standaloneAt(peakMb: number): StandaloneRssResult {
  return {
    node_flags: [],
    npm_start: {
      peak_rss_mb: peakMb,
      webhook_ack_ms: { p99: 5 },
      widget_read_ms: { p99: 3 },
    } as StandaloneRssResult["npm_start"],
  };
}

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeAndRead(results: BenchResults): Record<string, unknown> {
  dir = mkdtempSync(join(tmpdir(), "amo1c-bench-results-"));
  const file = join(dir, "bench-results.json");
  writeResults(file, results);
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

describe("writeResults", () => {
  test("writes every interface key, the machine and the date", () => {
    const results: BenchResults = {
      ...bareResults(),
      webhook_ack_ms: { p50: 2, p99: 9, lost: 0 } as never,
      sync_throughput: { bound_ratio: 0.95, amocrm_429s: 0 } as never,
      requests_per_sync: { deals: 2 } as never,
      latency_webhook_to_1c_ms: { p50: 900, p99: 1800 } as never,
      widget_read_ms: { p99: 4 } as never,
      widget_bundle_gzip_bytes: 14_944,
    };
    recordRss(results, IN_PROCESS, standaloneAt(140));

    const written = writeAndRead(results);

    for (const key of FIGURE_KEYS) expect(written[key]).not.toBeNull();
    expect(written).toMatchObject({
      widget_bundle_gzip_bytes: 14_944,
      server_rss_mb: 140,
      machine: { cores: 2, node: "v20.19.0", date: "2026-05-01T10:00:00.000Z" },
      run: { errors: {} },
    });
  });

  test("writes a failed phase's key as null, its error beside it", () => {
    const results: BenchResults = {
      ...bareResults({ webhook_ack_ms: "stand did not start" }),
      widget_bundle_gzip_bytes: 14_944,
    };

    const written = writeAndRead(results);

    for (const key of FIGURE_KEYS) expect(written).toHaveProperty(key);
    expect(written["webhook_ack_ms"]).toBeNull();
    expect(written["widget_bundle_gzip_bytes"]).toBe(14_944);
    const errors = (written["run"] as { errors: Record<string, string> })
      .errors;
    expect(errors["webhook_ack_ms"]).toBe("stand did not start");
    // Phases left out (--only) are null too, and say so.
    expect(errors["sync_throughput"]).toMatch(/^not measured/);
    expect(errors["widget_bundle_gzip_bytes"]).toBeUndefined();
  });
});

describe("recordRss", () => {
  test("reports amo1c alone as server_rss_mb, the bench process as detail", () => {
    const results = bareResults();

    recordRss(results, IN_PROCESS, standaloneAt(140));

    expect(results.server_rss_mb).toBe(140);
    expect(results.server_rss_detail?.in_process.peak_mb).toBe(329);
    const row = evaluateTargets(results).find((r) =>
      r.figure.startsWith("RSS"),
    );
    expect(row).toMatchObject({ value: 140, met: true });
  });

  test("leaves server_rss_mb null when amo1c alone was not measured", () => {
    const results = bareResults({ server_rss_mb: "child exited" });

    recordRss(results, IN_PROCESS, undefined);

    expect(writeAndRead(results)).toMatchObject({
      server_rss_mb: null,
      run: { errors: { server_rss_mb: "child exited" } },
    });
  });
});
