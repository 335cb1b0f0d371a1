import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startStand, type Stand } from "../../../scripts/stand/start-stand.js";
import { getDeal, ranSince, waitForDeal } from "../acceptance/stand-client.js";

const DEAL_ID = 1100001;

let stand: Stand;

beforeAll(async () => {
  stand = await startStand({ queue: { debounceMs: 0, pollMs: 50 } });
});
afterAll(async () => stand?.stop());

function valueOf(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}

describe("/metrics on a running amo1c", () => {
  it("shows webhook, job, request and token series after a deal synced", async () => {
    // A tight amoCRM limit makes the sync meet at least one 429.
    stand.amocrm.setRateLimit(1);
    const since = new Date().toISOString();
    stand.amocrm.updateLead(DEAL_ID, { price: 160_000 });
    await waitForDeal(stand, DEAL_ID, ranSince(since, "ok"));
    stand.amocrm.setRateLimit(7);
    await getDeal(stand, DEAL_ID);

    const res = await fetch(`${stand.url}/metrics`);
    const text = await res.text();

    expect(res.status).toBe(200);
    expect(valueOf(text, "amo1c_webhooks_received_total")).toBeGreaterThan(0);
    expect(
      valueOf(text, 'amo1c_job_runs_total{outcome="done"}'),
    ).toBeGreaterThan(0);
    expect(
      valueOf(text, 'amo1c_sync_duration_seconds_count{outcome="done"}'),
    ).toBeGreaterThan(0);
    expect(
      valueOf(
        text,
        'amo1c_remote_requests_total{system="amocrm",outcome="ok"}',
      ),
    ).toBeGreaterThan(0);
    expect(
      valueOf(text, 'amo1c_remote_requests_total{system="onec",outcome="ok"}'),
    ).toBeGreaterThan(0);
    expect(valueOf(text, "amo1c_amocrm_rate_limited_total")).toBeGreaterThan(0);
    expect(valueOf(text, 'amo1c_jobs{state="failed"}')).toBe(0);
    expect(
      valueOf(text, 'amo1c_amocrm_token_expires_in_seconds{mode="long_lived"}'),
    ).toBeGreaterThan(300 * 24 * 3600);
    expect(valueOf(text, 'amo1c_amocrm_connection{state="ok"}')).toBe(1);
    expect(valueOf(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("answers 403 to a scraper outside this machine without the token", async () => {
    const res = await fetch(`${stand.url}/metrics`, {
      headers: { "x-forwarded-for": "198.51.100.20" },
    });

    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: "metrics_forbidden" },
    });
  });
});
