import { sql } from "kysely";

import {
  startStand,
  type Stand,
  type StandOptions,
} from "../stand/start-stand.js";
import {
  buildLeadWebhookBody,
  type HookAccount,
  type HookLead,
} from "./build-webhook-body.js";

// Latency is a constant per answer, as the benchmark's brief fixes it; real
// amoCRM and 1C answers vary, and their tails are not modelled.
/** Every amoCRM answer waits this long: a cloud API across the internet. */
export const AMOCRM_LATENCY_MS = 150;
/** Every 1C answer waits this long: OData on a loaded on-premises base. */
export const ONEC_LATENCY_MS = 250;
/** Webhooks in flight at once when a burst is posted. */
const BURST_PARALLELISM = 32;

export type SqliteSynchronous = "FULL" | "NORMAL";

/**
 * The SQLite `synchronous` mode forced on every stand's database after it
 * starts, or null to keep amo1c's own. A diagnostic: `--sqlite-sync NORMAL`
 * shows what the fsync of every committed write costs the answer paths.
 */
let forcedSynchronous: SqliteSynchronous | null = null;

export function forceSqliteSynchronous(mode: SqliteSynchronous | null): void {
  forcedSynchronous = mode;
}

/**
 * The stand with realistic latency on both sides; amoCRM's 7 requests per
 * second limit is on in every stand. The latency starts once the stand is
 * set up: the settings Check at start is not measured and would only add
 * seconds to every phase.
 */
export async function startBenchStand(
  options: StandOptions = {},
): Promise<Stand> {
  const stand = await startStand(options);
  stand.amocrm.setLatency(AMOCRM_LATENCY_MS);
  stand.onec.setLatency(ONEC_LATENCY_MS);
  if (forcedSynchronous !== null) {
    const pragma = sql.raw(`PRAGMA synchronous = ${forcedSynchronous}`);
    await pragma.execute(stand.amo1c.database.db);
  }
  return stand;
}

export function hookAccountOf(stand: Stand): HookAccount {
  const { account } = stand.amocrm.state().seed;
  return {
    id: stand.amocrm.accountId,
    subdomain: account.subdomain,
    host: stand.amocrm.host,
  };
}

/** The webhook amoCRM would send for these deals, from the emulator's data. */
export function hookLeadsOf(stand: Stand, dealIds: number[]): HookLead[] {
  const wanted = new Set(dealIds);
  return stand.amocrm
    .state()
    .leads.filter((lead) => wanted.has(lead.id))
    .map((lead) => ({
      id: lead.id,
      name: lead.name,
      price: lead.price,
      statusId: lead.status_id,
      pipelineId: lead.pipeline_id,
      userId: lead.responsible_user_id,
      updatedAt: lead.updated_at,
    }));
}

/** Posts one webhook per deal, many at once; answers the statuses. */
export async function postDealWebhooks(
  stand: Stand,
  dealIds: number[],
): Promise<number[]> {
  const url = await stand.amo1c.webhookUrl();
  const account = hookAccountOf(stand);
  const bodies = hookLeadsOf(stand, dealIds).map((lead) =>
    buildLeadWebhookBody(account, [lead]),
  );

  const statuses: number[] = [];
  const post = async () => {
    for (let body = bodies.pop(); body !== undefined; body = bodies.pop()) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
  };
  await Promise.all(Array.from({ length: BURST_PARALLELISM }, post));
  return statuses;
}
