const WINDOW_MS = 1000;

export interface RateLimiter {
  /** Records a request for key and says whether it is within the limit. */
  allow(key: string, nowMs: number, perSecond: number): boolean;
  clear(): void;
}

// Rolling one-second window per token: amoCRM documents at most 7 requests
// per second (reference §3.11). Rejected requests do not count.
export function createRateLimiter(): RateLimiter {
  const hits = new Map<string, number[]>();

  return {
    allow(key, nowMs, perSecond) {
      if (perSecond <= 0) return true;

      const recent = (hits.get(key) ?? []).filter(
        (at) => at > nowMs - WINDOW_MS && at <= nowMs,
      );
      if (recent.length >= perSecond) {
        hits.set(key, recent);
        return false;
      }
      recent.push(nowMs);
      hits.set(key, recent);
      return true;
    },
    clear() {
      hits.clear();
    },
  };
}
