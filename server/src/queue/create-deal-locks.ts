import pg from "pg";

import type { Logger } from "../log.js";

/** A deal's run lock, held on its own connection until released. */
export interface DealLock {
  release(): Promise<void>;
}

export interface DealLocks {
  /** The deal's lock, or null while another run (any process) holds it. */
  tryLock(dealId: number): Promise<DealLock | null>;
  close(): Promise<void>;
}

export interface DealLocksOptions {
  connectionString: string;
  /** Keeps the locks of one queue apart from other advisory lock users. */
  namespace: string;
  /** At most this many runs hold a lock at once (the worker count). */
  maxConnections: number;
  log: Logger;
}

/**
 * Per-deal PostgreSQL advisory locks. A session lock lives as long as its
 * connection, so each held lock keeps one connection out of the pool; a
 * process that dies loses its connections and with them its locks.
 */
export function createDealLocks(options: DealLocksOptions): DealLocks {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections,
    // A lock connection is needed only while a run holds it.
    idleTimeoutMillis: 2_000,
  });
  // An idle pooled client that errors must not crash the process.
  pool.on("error", (err) =>
    options.log.warn({ err }, "deal lock connection failed"),
  );

  return {
    async tryLock(dealId) {
      const client = await pool.connect();
      const key = [options.namespace, lockKey(dealId)];
      try {
        const { rows } = await client.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock(hashtext($1), $2) AS locked",
          key,
        );
        if (rows[0]?.locked) return heldLock(client, key, options.log);
      } catch (err) {
        client.release(true);
        throw err;
      }
      client.release();
      return null;
    },

    close: () => pool.end(),
  };
}

function heldLock(
  client: pg.PoolClient,
  key: unknown[],
  log: Logger,
): DealLock {
  return {
    async release() {
      try {
        await client.query("SELECT pg_advisory_unlock(hashtext($1), $2)", key);
        client.release();
      } catch (err) {
        // Dropping the connection ends the session, and its locks with it.
        log.warn({ err }, "deal lock not released; dropping its connection");
        client.release(true);
      }
    },
  };
}

/** The lock's int4 half; deal ids past 2^31 wrap, which only means sharing. */
function lockKey(dealId: number): number {
  return dealId | 0;
}
