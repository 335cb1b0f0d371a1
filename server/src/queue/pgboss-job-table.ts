import type PgBoss from "pg-boss";

import type { RunTrigger } from "../../../shared/deal-view.js";
import { AppError } from "../errors.js";
import type { FailedJob, QueueCounts } from "./job-queue.js";

/** What a sync job carries in pg-boss: the deal and why it runs. */
export interface SyncJobData {
  dealId: number;
  trigger: RunTrigger;
  reqId?: string | undefined;
  /** Set while the job is held back behind a running job of its deal. */
  parked?: boolean | undefined;
}

interface FailedRow {
  id: string;
  data: Partial<SyncJobData> | null;
  retry_count: number;
  output: unknown;
  completed_on: Date | null;
}

/**
 * The few reads and writes pg-boss 10 has no function for, written against
 * its `job` table (schema version 24): listing jobs by state, counting them,
 * pulling a waiting job forward and ending a job without its retries. Every
 * statement filters by queue name, so other queues in the schema are safe.
 */
export function createPgBossJobTable(
  db: PgBoss.Db,
  schema: string,
  queue: string,
) {
  const job = `${checkIdentifier(schema)}.job`;

  async function rows<T>(text: string, values: unknown[]): Promise<T[]> {
    const result = await db.executeSql(text, [queue, ...values]);
    return result.rows as T[];
  }

  return {
    /** A queued or running job exists for the deal. */
    async isPending(dealId: number): Promise<boolean> {
      const found = await rows(
        `SELECT 1 FROM ${job} WHERE name = $1 AND singleton_key = $2 AND state < 'completed' LIMIT 1`,
        [String(dealId)],
      );
      return found.length > 0;
    },

    /**
     * Makes the deal's waiting job (debounced or backing off) due now with
     * manual priority. Returns false when none is waiting.
     */
    async promote(
      dealId: number,
      priority: number,
      data: Pick<SyncJobData, "trigger" | "reqId">,
    ): Promise<boolean> {
      const updated = await rows(
        `UPDATE ${job}
            SET start_after = now(), priority = GREATEST(priority, $3),
                data = COALESCE(data, '{}'::jsonb) || $4::jsonb
          WHERE name = $1 AND singleton_key = $2 AND state < 'active'
          RETURNING id`,
        [String(dealId), priority, JSON.stringify(data)],
      );
      return updated.length > 0;
    },

    /**
     * Holds back the deal's waiting jobs while one of its jobs is active.
     * A due job whose key is active makes pg-boss 10's fetch fail on the
     * stately index, and that failed fetch takes no other job either: one
     * busy deal would stall the whole queue (pg-boss #535, #536). Parked
     * jobs are marked so unpark() finds them; the hold ends by itself
     * after `seconds` should nobody unpark them. Returns how many.
     */
    async park(dealId: number, seconds: number): Promise<number> {
      const updated = await rows(
        `UPDATE ${job}
            SET start_after = now() + $3::int * interval '1 second',
                data = COALESCE(data, '{}'::jsonb) || '{"parked": true}'::jsonb
          WHERE name = $1 AND singleton_key = $2 AND state < 'active'
            AND EXISTS (SELECT 1 FROM ${job} a
                         WHERE a.name = $1 AND a.singleton_key = $2 AND a.state = 'active')
          RETURNING id`,
        [String(dealId), Math.ceil(seconds)],
      );
      return updated.length;
    },

    /** Makes the deal's parked jobs due now. */
    async unpark(dealId: number): Promise<void> {
      await rows(
        `UPDATE ${job} SET start_after = now(), data = data - 'parked'
          WHERE name = $1 AND singleton_key = $2 AND state < 'active' AND data ? 'parked'`,
        [String(dealId)],
      );
    },

    /** Clears the parked mark of a job that is running now. */
    async clearParked(id: string): Promise<void> {
      await rows(
        `UPDATE ${job} SET data = data - 'parked' WHERE name = $1 AND id = $2`,
        [id],
      );
    },

    async isRunning(dealId: number): Promise<boolean> {
      const found = await rows(
        `SELECT 1 FROM ${job} WHERE name = $1 AND singleton_key = $2 AND state = 'active' LIMIT 1`,
        [String(dealId)],
      );
      return found.length > 0;
    },

    /** Another job of the deal is waiting for its retry (stately allows one). */
    async hasWaitingRetry(dealId: number, exceptId: string): Promise<boolean> {
      const found = await rows(
        `SELECT 1 FROM ${job} WHERE name = $1 AND singleton_key = $2 AND state = 'retry' AND id <> $3 LIMIT 1`,
        [String(dealId), exceptId],
      );
      return found.length > 0;
    },

    /**
     * Puts a job that could not take its deal's lock back to wait for
     * `seconds`, as a retry that has not started, so the next fetch counts
     * no attempt. Returns false when the deal has a retry waiting already
     * (stately allows one), which syncs the deal anyway.
     */
    async postpone(id: string, dealId: number, seconds: number) {
      const updated = await rows(
        `UPDATE ${job}
            SET state = 'retry', started_on = NULL,
                start_after = now() + $4::int * interval '1 second'
          WHERE name = $1 AND id = $2 AND state = 'active'
            AND NOT EXISTS (SELECT 1 FROM ${job} r
                             WHERE r.name = $1 AND r.singleton_key = $3 AND r.state = 'retry')
          RETURNING id`,
        [id, String(dealId), Math.ceil(seconds)],
      );
      return updated.length > 0;
    },

    /** Lowers the retry limit of a running job so the next fail() is final. */
    async stopRetries(id: string): Promise<void> {
      await rows(
        `UPDATE ${job} SET retry_limit = retry_count WHERE name = $1 AND id = $2 AND state = 'active'`,
        [id],
      );
    },

    async counts(): Promise<QueueCounts> {
      const found = await rows<{ state: string; n: number }>(
        `SELECT state, count(*)::int AS n FROM ${job}
          WHERE name = $1 AND state IN ('created', 'retry', 'active', 'failed')
          GROUP BY state`,
        [],
      );
      const by = new Map(found.map((r) => [r.state, Number(r.n)]));
      return {
        queued: (by.get("created") ?? 0) + (by.get("retry") ?? 0),
        running: by.get("active") ?? 0,
        failed: by.get("failed") ?? 0,
      };
    },

    async listFailed(): Promise<FailedJob[]> {
      const found = await rows<FailedRow>(
        `SELECT id, data, retry_count, output, completed_on FROM ${job}
          WHERE name = $1 AND state = 'failed'
          ORDER BY completed_on DESC NULLS LAST, id`,
        [],
      );
      return found.map((r) => ({
        id: r.id,
        dealId: Number(r.data?.dealId),
        attempts: r.retry_count + 1,
        reason: readReason(r.output),
        failedAt: (r.completed_on ?? new Date(0)).toISOString(),
      }));
    },
  };
}

export type PgBossJobTable = ReturnType<typeof createPgBossJobTable>;

/**
 * A failed job's output is ours ({ reason }) or pg-boss's own: a serialised
 * Error for a timed-out handler, { value } for a shutdown while running.
 */
export function readReason(output: unknown): string {
  if (typeof output === "string") return output;
  if (!output || typeof output !== "object") return "no reason recorded";

  const o = output as { reason?: unknown; message?: unknown; value?: unknown };
  if (typeof o.reason === "string") return o.reason;
  if (typeof o.message === "string") return o.message;
  if (o.value !== undefined) return readReason(o.value);
  return JSON.stringify(output);
}

// pg-boss writes the schema name unquoted; so do we, after checking it is a
// plain identifier (it comes from configuration, never from a request).
function checkIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,49}$/.test(name)) {
    throw new AppError(
      "config_invalid",
      `The pg-boss schema name "${name}" is not a plain identifier; use letters, digits and underscores`,
    );
  }
  return name;
}
