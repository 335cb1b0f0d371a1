import { problemOf } from "./describe-connection-problem.js";
import type { TokenStore } from "./token-store.js";

/** Why a renewal failed, and what of the stored pair dies with it. */
export interface TokenFailure {
  error: unknown;
  /** The stored version the failed attempt started from. */
  version: number;
  drop: "nothing" | "refresh_token" | "pair";
}

/**
 * What a renewal hands out of the row lock. A failure is returned, not
 * thrown: on PostgreSQL a throw rolls back the lock's transaction, and
 * with it every write that records the failure.
 */
export type LockedRenewal<T> =
  { renewed: T } | { error: unknown; failure: TokenFailure | null };

/** After the lock: the renewed tokens, or the failure stored and thrown. */
export async function settleRenewal<T>(
  store: TokenStore,
  outcome: LockedRenewal<T>,
): Promise<T> {
  if ("renewed" in outcome) return outcome.renewed;
  if (outcome.failure) await recordFailure(store, outcome.failure);
  throw outcome.error;
}

/**
 * Stores the failure in a lock and transaction of its own. Skipped when
 * another caller wrote a newer pair meanwhile: a stale failure must not
 * mark a good pair, nor drop it.
 */
async function recordFailure(
  store: TokenStore,
  failure: TokenFailure,
): Promise<void> {
  await store.withLock(async (locked) => {
    if ((await locked.read()).version !== failure.version) return;
    if (failure.drop === "refresh_token") await locked.clearRefreshToken();
    if (failure.drop === "pair") await locked.clearPair();
    await locked.setState("needs_attention", problemOf(failure.error), "oauth");
  });
}
