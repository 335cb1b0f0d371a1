import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from "prom-client";

import type { ConnectionView } from "../../../shared/settings.js";
import type { Logger } from "../log.js";
import type { JobOutcome, QueueCounts } from "../queue/job-queue.js";
import { onRequest } from "./request-counter.js";

/** A sync run takes from tens of milliseconds to a minute of retried requests. */
const SYNC_DURATION_BUCKETS_SECONDS = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

export type JobRunOutcome = JobOutcome["kind"] | "error";

export interface JobRunSample {
  outcome: JobRunOutcome;
  /** 1 for the first run, more for a retry. */
  attempt: number;
  durationMs: number;
}

/** The counting side of amo1c's Prometheus metrics. */
export interface Metrics {
  /** Its own registry: several amo1c instances may share a process (tests). */
  registry: Registry;
  webhookReceived(): void;
  webhookRejected(reason: string): void;
  jobRun(sample: JobRunSample): void;
  /** Stops listening to outbound requests. */
  stop(): void;
}

export interface CreateMetricsOptions {
  queueCounts: () => Promise<QueueCounts>;
  connectionView: () => Promise<ConnectionView>;
  log: Logger;
  now?: (() => number) | undefined;
}

/**
 * Registers every amo1c series. Queue sizes and the token expiry are read
 * when Prometheus scrapes, so an idle process costs nothing between scrapes.
 */
export function createMetrics(options: CreateMetricsOptions): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const received = new Counter({
    name: "amo1c_webhooks_received_total",
    help: "amoCRM webhooks that reached amo1c, rejected ones included",
    registers,
  });
  const rejected = new Counter({
    name: "amo1c_webhooks_rejected_total",
    help: "amoCRM webhooks amo1c refused, by error code",
    labelNames: ["reason"],
    registers,
  });
  const runs = new Counter({
    name: "amo1c_job_runs_total",
    help: "Sync job runs by outcome: done, retry (transient failure), fail, error (handler crashed)",
    labelNames: ["outcome"],
    registers,
  });
  const retries = new Counter({
    name: "amo1c_job_retries_total",
    help: "Sync job runs that were a retry of an earlier failed attempt",
    registers,
  });
  const duration = new Histogram({
    name: "amo1c_sync_duration_seconds",
    help: "Duration of one deal's sync run, by outcome",
    labelNames: ["outcome"],
    buckets: SYNC_DURATION_BUCKETS_SECONDS,
    registers,
  });

  registerQueueGauge(registers, options);
  registerConnectionGauges(registers, options);
  const stopCounting = countRemoteRequests(registers);

  return {
    registry,
    webhookReceived: () => received.inc(),
    webhookRejected: (reason) => rejected.inc({ reason }),
    jobRun(sample) {
      runs.inc({ outcome: sample.outcome });
      if (sample.attempt > 1) retries.inc();
      duration.observe({ outcome: sample.outcome }, sample.durationMs / 1000);
    },
    stop: stopCounting,
  };
}

function registerQueueGauge(
  registers: Registry[],
  options: CreateMetricsOptions,
): void {
  new Gauge({
    name: "amo1c_jobs",
    help: "Sync jobs by state (queued, running, failed) at scrape time",
    labelNames: ["state"],
    registers,
    async collect() {
      try {
        const counts = await options.queueCounts();
        for (const [state, value] of Object.entries(counts))
          this.set({ state }, value);
      } catch (err) {
        // A scrape must not fail because the database is slow: the gauge
        // keeps its last values and the log says why.
        options.log.warn({ err }, "metrics could not read the queue counts");
      }
    },
  });
}

function registerConnectionGauges(
  registers: Registry[],
  options: CreateMetricsOptions,
): void {
  const now = options.now ?? Date.now;
  const readView = shareInFlight(async () => {
    try {
      return await options.connectionView();
    } catch (err) {
      options.log.warn({ err }, "metrics could not read the amoCRM connection");
      return null;
    }
  });

  new Gauge({
    name: "amo1c_amocrm_token_expires_in_seconds",
    help: "Seconds until the amoCRM token in use expires (the access token for OAuth, the token itself when long-lived)",
    labelNames: ["mode"],
    registers,
    async collect() {
      const view = await readView();
      this.reset();
      if (!view?.expiresAt || !view.mode) return;
      const seconds = (Date.parse(view.expiresAt) - now()) / 1000;
      this.set({ mode: view.mode }, Math.round(seconds));
    },
  });
  new Gauge({
    name: "amo1c_amocrm_connection",
    help: "1 for the amoCRM connection's current state (ok, expiring, expired, needs_attention, not_configured)",
    labelNames: ["state"],
    registers,
    async collect() {
      const view = await readView();
      this.reset();
      if (view) this.set({ state: view.state }, 1);
    },
  });
}

/**
 * The registry collects every metric at once; callers arriving while a read
 * is in flight share it, so one scrape reads the connection once.
 */
function shareInFlight<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}

// Request listeners are process-wide: two amo1c instances in one process
// (tests, the demo) count each other's requests. Production runs one.
function countRemoteRequests(registers: Registry[]): () => void {
  const requests = new Counter({
    name: "amo1c_remote_requests_total",
    help: "Requests sent to amoCRM and 1C (retries included), by system and outcome",
    labelNames: ["system", "outcome"],
    registers,
  });
  const rateLimited = new Counter({
    name: "amo1c_amocrm_rate_limited_total",
    help: "amoCRM answers with status 429 (too many requests)",
    registers,
  });

  return onRequest((side, outcome) => {
    requests.inc({ system: side, outcome });
    if (side === "amocrm" && outcome === "rate_limited") rateLimited.inc();
  });
}
