import { randomBytes } from "node:crypto";

import { sql } from "kysely";
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  startAmocrmEmulator,
  type AmocrmEmulator,
} from "../../../scripts/emulators/amocrm/start-amocrm-emulator.js";
import {
  startOnecEmulator,
  type OnecEmulator,
} from "../../../scripts/emulators/onec/start-onec-emulator.js";
import { configureAmo1c } from "../../../scripts/stand/configure-amo1c.js";
import { findFreePort } from "../../../scripts/stand/find-free-port.js";
import { createAmo1c, type Amo1c } from "../../src/app/create-amo1c.js";
import { loadConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/log.js";
import {
  createScratchDatabase,
  postgresAvailable,
} from "../helpers/postgres.js";
import {
  buildManyDealsSeed,
  type ManyDealsSeed,
} from "./build-many-deals-seed.js";
import { spawnAmo1c, type Amo1cProcess } from "./spawn-amo1c.js";

const BASE = "ut11";
const ONEC_USER = "Обмен amoCRM";
const ONEC_PASSWORD = randomBytes(9).toString("base64url");
/** A killed process's running jobs come back after this (plus the sweep). */
const JOB_TIMEOUT_SECONDS = 6;
const REMOTE_LATENCY_MS = 15;
const WEBHOOK_PARALLELISM = 10;

let available = false;
let drop: (() => Promise<void>) | null = null;
let amocrm: AmocrmEmulator;
let onec: OnecEmulator;
let setup: Amo1c;
let deals: ManyDealsSeed;
let processes: Amo1cProcess[] = [];
let hookPath = "";

beforeAll(async () => {
  available = await postgresAvailable();
  if (!available) return;
  const scratch = await createScratchDatabase();
  drop = scratch.drop;

  deals = buildManyDealsSeed({
    companyDeals: 150,
    companies: 30,
    contactDeals: 150,
    privateContacts: 50,
  });
  const [portA, portB] = [await findFreePort(), await findFreePort()];
  const publicUrl = `http://127.0.0.1:${portA}`;
  amocrm = await startAmocrmEmulator({
    seed: deals.seed,
    redirectUri: `${publicUrl}/amocrm/oauth/callback`,
    // The amo1c processes hold to their own limit; the emulator's 7/s
    // would only slow the test down.
    rateLimitPerSecond: 0,
    latencyMs: REMOTE_LATENCY_MS,
  });
  onec = await startOnecEmulator({
    bases: [{ name: BASE, profile: "ut11" }],
    user: ONEC_USER,
    password: ONEC_PASSWORD,
    latencyMs: REMOTE_LATENCY_MS,
  });

  const env = {
    HOST: "127.0.0.1",
    PUBLIC_URL: publicUrl,
    DATABASE_URL: scratch.url,
    AMO1C_SECRET_KEY: randomBytes(32).toString("base64"),
    AMOCRM_CLIENT_ID: amocrm.clientId,
    AMOCRM_CLIENT_SECRET: amocrm.clientSecret,
    AMOCRM_BASE_URL: amocrm.url,
    AMOCRM_RATE_LIMIT_PER_SECOND: "40",
    QUEUE_JOB_TIMEOUT_SECONDS: String(JOB_TIMEOUT_SECONDS),
    LOG_LEVEL: "warn",
  };
  setup = await createAmo1c({
    config: loadConfig({ ...env, PORT: "0" }),
    log: createLogger({ level: "silent" }),
    schedule: false,
  });
  // What the admin enters in the widget: OAuth code, 1C, exchange; then Check.
  await configureAmo1c(setup, {
    amocrm,
    onec,
    base: BASE,
    onecUser: ONEC_USER,
    onecPassword: ONEC_PASSWORD,
    tokenMode: "oauth",
  });
  hookPath = new URL(await setup.webhookUrl()).pathname;

  processes = [spawnAmo1c("A", portA, env), spawnAmo1c("B", portB, env)];
  await Promise.all(processes.map((p) => p.waitReady(30_000)));
}, 90_000);

afterAll(async () => {
  for (const p of processes) {
    p.child.kill("SIGTERM");
    await p.exited;
  }
  await setup?.stop();
  await amocrm?.stop();
  await onec?.stop();
  await drop?.();
}, 90_000);

/** amoCRM's legacy form body for one changed deal. */
function webhookBody(dealId: number): string {
  return qs.stringify({
    leads: { update: [{ id: String(dealId), name: "changed" }] },
    account: { id: String(amocrm.accountId), subdomain: "acme" },
  });
}

/** Posts one webhook per deal, alternating between the two processes. */
async function postWebhooks(dealIds: number[]): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < dealIds.length; i += WEBHOOK_PARALLELISM) {
    const batch = dealIds.slice(i, i + WEBHOOK_PARALLELISM);
    const answers = await Promise.all(
      batch.map((dealId, k) =>
        fetch(`${processes[(i + k) % 2]?.url}${hookPath}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: webhookBody(dealId),
        }),
      ),
    );
    statuses.push(...answers.map((r) => r.status));
  }
  return statuses;
}

async function syncedDeals(): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from deal_state where last_status = 'ok'
  `.execute(setup.database.db);
  return rows[0]?.n ?? 0;
}

async function waitUntil(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      const logs = processes.map((p) => `--- ${p.name}\n${p.output()}`);
      throw new Error(
        `${what}: not reached in ${timeoutMs} ms\n${logs.join("\n")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function tokenRequestsSince(at: number): number {
  return amocrm
    .requests()
    .filter((r) => r.path === "/oauth2/access_token" && r.at >= at).length;
}

function ordersByDeal(): Map<number, number> {
  const byDeal = new Map<number, number>();
  for (const order of onec.list(BASE, "Document_ЗаказКлиента")) {
    const match = /amo1c:lead:(\d+)\]/.exec(String(order["Комментарий"]));
    if (match)
      byDeal.set(Number(match[1]), (byDeal.get(Number(match[1])) ?? 0) + 1);
  }
  return byDeal;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

describe("two amo1c processes on one PostgreSQL", () => {
  it("sync 300 deals once each, refresh the token once and lose no job when one is killed", async (ctx) => {
    if (!available) return ctx.skip();
    const started = Date.now();
    const [, victim] = processes as [Amo1cProcess, Amo1cProcess];

    const statuses = await postWebhooks(deals.dealIds);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    await waitUntil(
      "a fifth synced",
      async () => (await syncedDeals()) >= 60,
      30_000,
    );
    const expiredAt = Date.now();
    amocrm.expireAccessTokens();

    await waitUntil(
      "half synced",
      async () => (await syncedDeals()) >= 150,
      30_000,
    );
    victim.child.kill("SIGKILL");
    expect(await victim.exited).toBe("SIGKILL");
    const unfinishedAtKill = deals.dealIds.length - (await syncedDeals());

    await waitUntil(
      "every deal synced and the queue empty",
      async () => {
        if ((await syncedDeals()) < deals.dealIds.length) return false;
        const counts = await setup.queue.counts();
        return counts.queued + counts.running + counts.failed === 0;
      },
      45_000,
    );
    const elapsedMs = Date.now() - started;

    const orders = ordersByDeal();
    expect(deals.dealIds.filter((id) => orders.get(id) !== 1)).toEqual([]);
    expect(orders.size).toBe(deals.dealIds.length);

    const counterparties = onec.list(BASE, "Catalog_Контрагенты");
    const inns = counterparties
      .map((c) => String(c["ИНН"] ?? ""))
      .filter(Boolean);
    const names = counterparties.map((c) => String(c["Description"]));
    expect(duplicates(inns)).toEqual([]);
    expect(duplicates(names)).toEqual([]);
    expect(deals.companyInns.filter((inn) => !inns.includes(inn))).toEqual([]);
    expect(deals.privateContactNames.filter((n) => !names.includes(n))).toEqual(
      [],
    );

    expect(tokenRequestsSince(expiredAt)).toBe(1);
    expect(unfinishedAtKill).toBeGreaterThan(0);
    expect(await setup.queue.failed()).toEqual([]);
    ctx.annotate(
      `300 deals in ${elapsedMs} ms; ${unfinishedAtKill} unfinished when B was killed`,
    );
  }, 120_000);
});
