export interface BackoffOptions {
  /** The attempt that just failed: 1 after the first run. */
  attempt: number;
  baseMs: number;
  maxMs: number;
  /** Returns [0, 1); injected by tests that need an exact delay. */
  random?: (() => number) | undefined;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half is
 * random, so retries of many deals that failed together (1C down) spread out
 * instead of returning at the same instant.
 */
export function computeBackoffDelay(options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(options.attempt - 1, 0), 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
