import { setTimeout as sleep } from "node:timers/promises";

import type { Kysely } from "kysely";

import type { Database } from "../../server/src/db/schema.js";

export interface JournalRow {
  id: number;
  dealId: number;
  outcome: string;
  startedMs: number;
  endedMs: number;
  amocrmRequests: number;
  onecRequests: number;
}

/** Outcomes after which a deal's run is over (waiting means a retry comes). */
const FINAL_OUTCOMES = new Set(["ok", "failed", "skipped"]);
const POLL_MS = 100;

/** The newest journal row id: rows above it belong to what follows. */
export async function journalMark(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("exchange_journal")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export async function readJournalSince(
  db: Kysely<Database>,
  mark: number,
): Promise<JournalRow[]> {
  const rows = await db
    .selectFrom("exchange_journal")
    .select([
      "id",
      "deal_id",
      "outcome",
      "started_at",
      "duration_ms",
      "amocrm_requests",
      "onec_requests",
    ])
    .where("id", ">", mark)
    .orderBy("id")
    .execute();
  return rows.map((r) => {
    const startedMs = Date.parse(r.started_at);
    return {
      id: r.id,
      dealId: r.deal_id,
      outcome: r.outcome,
      startedMs,
      endedMs: startedMs + r.duration_ms,
      amocrmRequests: r.amocrm_requests,
      onecRequests: r.onec_requests,
    };
  });
}

export interface WaitForRunsOptions {
  db: Kysely<Database>;
  dealIds: number[];
  /** Only runs journaled after this mark count. */
  mark: number;
  timeoutMs: number;
  /** Called about every `progressEveryMs` with how many deals finished. */
  onProgress?: ((finished: number) => void) | undefined;
  progressEveryMs?: number | undefined;
}

/**
 * Waits until every deal has a finished run after the mark; answers the
 * journal rows. Throws when the time is up, naming how many are missing.
 */
export async function waitForRuns(
  options: WaitForRunsOptions,
): Promise<JournalRow[]> {
  const wanted = new Set(options.dealIds);
  const deadline = Date.now() + options.timeoutMs;
  let nextProgress = Date.now() + (options.progressEveryMs ?? 10_000);

  for (;;) {
    const rows = await readJournalSince(options.db, options.mark);
    const finished = new Set(
      rows
        .filter((r) => wanted.has(r.dealId) && FINAL_OUTCOMES.has(r.outcome))
        .map((r) => r.dealId),
    );
    if (finished.size === wanted.size) return rows;

    if (Date.now() > deadline) {
      throw new Error(
        `${wanted.size - finished.size} of ${wanted.size} deals did not finish a run within ${options.timeoutMs} ms`,
      );
    }
    if (Date.now() >= nextProgress) {
      options.onProgress?.(finished.size);
      nextProgress += options.progressEveryMs ?? 10_000;
    }
    await sleep(POLL_MS);
  }
}
