import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { startStand, type Stand } from "../../../scripts/stand/start-stand.js";
import { checkSettings } from "../../src/cli/check-settings.js";
import { listJobs } from "../../src/cli/list-jobs.js";
import { reconcileNow } from "../../src/cli/reconcile-now.js";
import { showDealStatus } from "../../src/cli/show-deal-status.js";
import { syncDealNow } from "../../src/cli/sync-deal-now.js";
import { createLogger } from "../../src/log.js";
import { captureIo } from "./capture-io.js";

/** A seed deal with a company (INN) and two contacts. */
const SEED_DEAL_ID = 1100001;
const silentLog = createLogger({ level: "silent" });

let stand: Stand;

beforeAll(async () => {
  stand = await startStand({
    queue: { debounceMs: 0, pollMs: 50, maxAttempts: 1 },
  });
});
afterAll(async () => stand?.stop());
afterEach(() => {
  stand.onec.setDown(false);
  stand.onec.clearFaults();
});

function isWrite(request: { method: string }): boolean {
  return request.method !== "GET";
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in 10 s");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("amo1c check", () => {
  it("prints every step and exits 0 when both sides answer", async () => {
    const io = captureIo();

    const code = await checkSettings(stand.amo1c, io);

    expect(code).toBe(0);
    expect(io.lines[0]).toBe("amoCRM: ok");
    expect(io.lines).toContain("1C: ok");
    expect(io.text()).toMatch(/\[ok\]/);
    expect(io.lines.at(-1)).toBe("Check passed: amo1c can exchange deals.");
  });

  it("exits 1 and shows the failing step when 1C is down", async () => {
    stand.onec.setDown(true);
    const io = captureIo();

    const code = await checkSettings(stand.amo1c, io);

    expect(code).toBe(1);
    expect(io.text()).toContain("1C: failed");
    expect(io.text()).toMatch(/\[failed\] .+/);
    expect(io.lines.at(-1)).toMatch(/^Check failed/);
  });
});

describe("amo1c sync and status", () => {
  it("runs one deal's sync and prints its reads, writes and resulting state", async () => {
    const io = captureIo();

    const code = await syncDealNow(stand.amo1c, SEED_DEAL_ID, io, {
      log: silentLog,
    });

    expect(code).toBe(0);
    const text = io.text();
    expect(io.lines[0]).toMatch(
      /^deal 1100001: ok in \d+ ms \(\d+ amoCRM requests, \d+ 1C requests\)$/,
    );
    expect(io.lines).toContain("read:");
    expect(io.lines).toContain("wrote:");
    expect(text).toMatch(/counterparty: .+ \([0-9a-f-]{36}\), INN \d{10}/);
    expect(text).toMatch(/order: № \S+ of .+, sum 150000 \([0-9a-f-]{36}\)/);
    expect(text).toMatch(/last run: ok at .+ by manual/);
  });

  it("shows the stored state and whether a run is pending", async () => {
    const io = captureIo();
    await syncDealNow(stand.amo1c, SEED_DEAL_ID, captureIo(), {
      log: silentLog,
    });

    const code = await showDealStatus(stand.amo1c, SEED_DEAL_ID, io);

    expect(code).toBe(0);
    expect(io.lines[0]).toMatch(/^state of deal 1100001 /);
    expect(io.text()).toMatch(/order: № \S+/);
    expect(io.lines.at(-1)).toBe("pending: no");
  });

  it("says when a deal was never synced", async () => {
    const io = captureIo();

    await showDealStatus(stand.amo1c, 999_999, io);

    expect(io.lines).toEqual([
      "deal 999999 has not been synced yet",
      "pending: no",
    ]);
  });

  it("exits 1 for a deal amoCRM does not have, and writes nothing to 1C", async () => {
    const io = captureIo();
    const writesBefore = stand.onec.requests().filter(isWrite).length;

    const code = await syncDealNow(stand.amo1c, 999_998, io, {
      log: silentLog,
    });

    expect(code).toBe(1);
    expect(io.text()).toMatch(/error: not_found \(from amocrm\)/);
    expect(stand.onec.requests().filter(isWrite)).toHaveLength(writesBefore);
  });

  it("exits 1 and prints the reason when 1C refuses the run", async () => {
    stand.onec.injectFault({ kind: "access_denied", count: 1 });
    const io = captureIo();

    const code = await syncDealNow(stand.amo1c, SEED_DEAL_ID, io, {
      log: silentLog,
    });

    expect(code).toBe(1);
    expect(io.text()).toMatch(/error \(onec\): onec_access_denied: /);
  });
});

describe("amo1c jobs", () => {
  it("lists failed jobs with their reasons and puts them back with --retry-failed", async () => {
    const dealId = 1100002;
    stand.onec.injectFault({ kind: "access_denied", count: 1 });
    await stand.amo1c.queue.enqueue(dealId, { trigger: "webhook" });
    await waitFor(async () => (await stand.amo1c.queue.counts()).failed > 0);
    const io = captureIo();

    const code = await listJobs(stand.amo1c, { retryFailed: true }, io);

    expect(code).toBe(0);
    expect(io.lines[0]).toMatch(/^queued: \d+, running: \d+, failed: 1$/);
    expect(io.lines[1]).toMatch(
      /^ {2}deal 1100002: failed at .+ after 1 attempt\(s\): onec_\w+: .+/,
    );
    expect(io.lines.at(-1)).toMatch(/^put 1 failed job\(s\) back in the queue/);
    await waitFor(async () => {
      const state = await stand.amo1c.queue.counts();
      return state.failed === 0 && !(await stand.amo1c.queue.isPending(dealId));
    });
  });
});

describe("amo1c reconcile", () => {
  it("queues deals changed since the last pass and shows progress", async () => {
    stand.amocrm.setLatency(30);
    stand.amocrm.updateLead(1100003, { price: 77_000 });
    const io = captureIo();

    const code = await reconcileNow(
      {
        amo1c: stand.amo1c,
        log: createLogger({ level: "silent" }),
        progressEveryMs: 10,
      },
      io,
    );
    stand.amocrm.setLatency(0);

    expect(code).toBe(0);
    expect(io.lines[0]).toMatch(
      /^reconciling… \d+ s, \d+ deal\(s\) queued so far$/,
    );
    expect(io.lines.at(-1)).toMatch(
      /^queued [1-9]\d* deal\(s\) changed since the last pass/,
    );
  });

  it("backfills every deal changed since a date on a new installation", async () => {
    const seeded = stand.amocrm.state().leads.length;
    const io = captureIo();

    const code = await reconcileNow(
      {
        amo1c: stand.amo1c,
        log: createLogger({ level: "silent" }),
        since: new Date("2024-12-01T00:00:00Z"),
      },
      io,
    );

    expect(code).toBe(0);
    expect(io.lines.at(-1)).toMatch(/ changed since 2024-12-01; /);
    const queued = Number(/^queued (\d+)/.exec(io.lines.at(-1) ?? "")?.[1]);
    expect(queued).toBe(seeded);
  });
});
