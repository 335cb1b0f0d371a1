import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { Router } from "express";
import { afterEach, describe, expect, it } from "vitest";

import { createApp } from "../../src/http/create-app.js";
import {
  countWebhooks,
  createMetrics,
  createMetricsRouter,
  timeJobHandler,
  type Metrics,
} from "../../src/observability/index.js";
import { countRequest } from "../../src/observability/request-counter.js";
import type { QueueCounts } from "../../src/queue/job-queue.js";
import type { ConnectionView } from "../../../shared/settings.js";
import { captureLog } from "../helpers/capture-log.js";

const NOW_MS = Date.parse("2025-06-01T00:00:00Z");
const HOUR_MS = 3600_000;

interface Served {
  url: string;
  metrics: Metrics;
  close(): Promise<void>;
}

const opened: Served[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function serve(options: {
  token?: string;
  counts?: () => Promise<QueueCounts>;
  view?: () => Promise<ConnectionView>;
}): Promise<Served> {
  const { log } = captureLog("silent");
  const metrics = createMetrics({
    queueCounts:
      options.counts ??
      (() => Promise.resolve({ queued: 4, running: 1, failed: 2 })),
    connectionView: options.view ?? (() => Promise.resolve(oauthView())),
    log,
    now: () => NOW_MS,
  });
  const app = createApp({
    log,
    routers: [
      createMetricsRouter({
        registry: metrics.registry,
        token: options.token ?? "",
        log,
      }),
      countWebhooks(metrics),
      fakeWebhookIntake(),
    ],
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const served = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    metrics,
    close: async () => {
      metrics.stop();
      await new Promise((r) => server.close(r));
    },
  };
  opened.push(served);
  return served;
}

/** Answers like the webhook intake: 200, or 403 for a wrong secret. */
function fakeWebhookIntake(): Router {
  const router = Router();
  router.post("/amocrm/webhooks/:secret", (req, res) => {
    if (req.params.secret === "good") res.json({ ok: true });
    else
      res.status(403).json({
        error: { code: "webhook_secret_invalid", message: "wrong secret" },
      });
  });
  return router;
}

function oauthView(): ConnectionView {
  return {
    state: "ok",
    mode: "oauth",
    message: null,
    expiresAt: new Date(NOW_MS + 20 * HOUR_MS).toISOString(),
    expiryInstructions: [],
  };
}

/** The value of one series line, such as `amo1c_jobs{state="queued"}`. */
function valueOf(text: string, series: string): number | null {
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`${series} `) || l === series);
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe("GET /metrics", () => {
  it("answers a loopback scraper when no token is set", async () => {
    const { url } = await serve({});

    const res = await fetch(`${url}/metrics`);

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });

  it("refuses a request forwarded by a proxy when no token is set", async () => {
    const { url } = await serve({});

    const res = await fetch(`${url}/metrics`, {
      headers: { "x-forwarded-for": "203.0.113.7" },
    });

    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: "metrics_forbidden" },
    });
  });

  it("requires the bearer token when METRICS_TOKEN is set", async () => {
    const { url } = await serve({ token: "s3cret-scrape" });

    const missing = await fetch(`${url}/metrics`);
    const wrong = await fetch(`${url}/metrics`, {
      headers: { authorization: "Bearer s3cret-scrapE" },
    });
    const right = await fetch(`${url}/metrics`, {
      headers: {
        authorization: "Bearer s3cret-scrape",
        "x-forwarded-for": "203.0.113.7",
      },
    });

    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({
      error: {
        code: "metrics_forbidden",
        message: expect.stringContaining("Bearer") as unknown,
      },
    });
    expect(wrong.status).toBe(403);
    expect(right.status).toBe(200);
  });
});

describe("amo1c series", () => {
  it("reads the queue counts and the token expiry at scrape time", async () => {
    let queued = 4;
    const { url } = await serve({
      counts: () => Promise.resolve({ queued, running: 1, failed: 2 }),
    });

    const first = await (await fetch(`${url}/metrics`)).text();
    queued = 9;
    const second = await (await fetch(`${url}/metrics`)).text();

    expect(valueOf(first, 'amo1c_jobs{state="queued"}')).toBe(4);
    expect(valueOf(first, 'amo1c_jobs{state="running"}')).toBe(1);
    expect(valueOf(first, 'amo1c_jobs{state="failed"}')).toBe(2);
    expect(valueOf(second, 'amo1c_jobs{state="queued"}')).toBe(9);
    expect(
      valueOf(first, 'amo1c_amocrm_token_expires_in_seconds{mode="oauth"}'),
    ).toBe(20 * 3600);
    expect(valueOf(first, 'amo1c_amocrm_connection{state="ok"}')).toBe(1);
  });

  it("still answers when the queue counts cannot be read", async () => {
    const { url } = await serve({
      counts: () => Promise.reject(new Error("database is down")),
    });

    const res = await fetch(`${url}/metrics`);

    expect(res.status).toBe(200);
    expect(await res.text()).toContain("amo1c_amocrm_connection");
  });

  it("counts webhooks received and rejected by error code", async () => {
    const { url } = await serve({});
    const post = (secret: string) =>
      fetch(`${url}/amocrm/webhooks/${secret}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "leads[update][0][id]=1",
      });

    await post("good");
    await post("good");
    await post("bad");
    const text = await (await fetch(`${url}/metrics`)).text();

    expect(valueOf(text, "amo1c_webhooks_received_total")).toBe(3);
    expect(
      valueOf(
        text,
        'amo1c_webhooks_rejected_total{reason="webhook_secret_invalid"}',
      ),
    ).toBe(1);
  });

  it("counts outbound requests by system and outcome, and amoCRM 429s", async () => {
    const { url } = await serve({});

    countRequest("amocrm", "ok");
    countRequest("amocrm", "rate_limited");
    countRequest("onec", "ok");
    countRequest("onec", "ok");
    const text = await (await fetch(`${url}/metrics`)).text();

    expect(
      valueOf(
        text,
        'amo1c_remote_requests_total{system="amocrm",outcome="ok"}',
      ),
    ).toBe(1);
    expect(
      valueOf(text, 'amo1c_remote_requests_total{system="onec",outcome="ok"}'),
    ).toBe(2);
    expect(valueOf(text, "amo1c_amocrm_rate_limited_total")).toBe(1);
  });

  it("times job runs and counts their outcomes and retries", async () => {
    const { url, metrics } = await serve({});
    const handler = timeJobHandler(
      (job) =>
        Promise.resolve(
          job.attempt === 1
            ? { kind: "retry" as const, reason: "amocrm_unavailable: 503" }
            : { kind: "done" as const },
        ),
      metrics,
    );
    const crashing = timeJobHandler(
      () => Promise.reject(new Error("bug")),
      metrics,
    );
    const job = { id: "j1", dealId: 5, trigger: "webhook" as const };

    await handler({ ...job, attempt: 1 });
    await handler({ ...job, attempt: 2 });
    await expect(crashing({ ...job, attempt: 1 })).rejects.toThrow("bug");
    const text = await (await fetch(`${url}/metrics`)).text();

    expect(valueOf(text, 'amo1c_job_runs_total{outcome="retry"}')).toBe(1);
    expect(valueOf(text, 'amo1c_job_runs_total{outcome="done"}')).toBe(1);
    expect(valueOf(text, 'amo1c_job_runs_total{outcome="error"}')).toBe(1);
    expect(valueOf(text, "amo1c_job_retries_total")).toBe(1);
    expect(
      valueOf(text, 'amo1c_sync_duration_seconds_count{outcome="done"}'),
    ).toBe(1);
  });
});
