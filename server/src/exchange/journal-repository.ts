import type { Kysely } from "kysely";

import type { RunTrigger } from "../../../shared/deal-view.js";
import type { Database } from "../db/schema.js";

export interface JournalEntry {
  dealId: number;
  trigger: RunTrigger;
  startedAt: string;
  durationMs: number;
  outcome: "ok" | "failed" | "waiting" | "skipped";
  amocrmRequests: number;
  onecRequests: number;
  /** What was read and written, for support. */
  details: { reads: string[]; writes: string[] };
  error: { code: string; message: string; source: string } | null;
}

export interface JournalRepository {
  append(entry: JournalEntry): Promise<void>;
  listForDeal(dealId: number, limit?: number): Promise<JournalEntry[]>;
}

export function createJournalRepository(
  db: Kysely<Database>,
): JournalRepository {
  return {
    async append(entry) {
      await db
        .insertInto("exchange_journal")
        .values({
          deal_id: entry.dealId,
          trigger: entry.trigger,
          started_at: entry.startedAt,
          duration_ms: entry.durationMs,
          outcome: entry.outcome,
          amocrm_requests: entry.amocrmRequests,
          onec_requests: entry.onecRequests,
          details: JSON.stringify(entry.details),
          error_code: entry.error?.code ?? null,
          error_message: entry.error?.message ?? null,
          error_source: entry.error?.source ?? null,
        })
        .execute();
    },

    async listForDeal(dealId, limit = 20) {
      const rows = await db
        .selectFrom("exchange_journal")
        .selectAll()
        .where("deal_id", "=", dealId)
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        dealId: r.deal_id,
        trigger: r.trigger as RunTrigger,
        startedAt: r.started_at,
        durationMs: r.duration_ms,
        outcome: r.outcome as JournalEntry["outcome"],
        amocrmRequests: r.amocrm_requests,
        onecRequests: r.onec_requests,
        details: JSON.parse(r.details) as JournalEntry["details"],
        error: r.error_code
          ? {
              code: r.error_code,
              message: r.error_message ?? "",
              source: r.error_source ?? "amo1c",
            }
          : null,
      }));
    },
  };
}
