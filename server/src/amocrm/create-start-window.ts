import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

export interface StartWindowOptions {
  /** Starts allowed inside one window. */
  limit: number;
  windowMs: number;
  now?: (() => number) | undefined;
}

/**
 * A strict sliding window over actual start times. The limiter's even
 * spacing is planned ahead, so a timer that fires late squeezes the next
 * gap; this gate holds a start until fewer than `limit` starts happened in
 * the last `windowMs`, whatever the timers did.
 */
export function createStartWindow(
  options: StartWindowOptions,
): () => Promise<void> {
  const now = options.now ?? (() => performance.now());
  const starts: number[] = [];

  return async function acquire() {
    for (;;) {
      const at = now();
      while (starts.length > 0 && at - (starts[0] ?? 0) >= options.windowMs)
        starts.shift();
      // Check and record without an await between: no other start slips in.
      if (starts.length < options.limit) {
        starts.push(at);
        return;
      }
      await sleep(options.windowMs - (at - (starts[0] ?? 0)) + 1);
    }
  };
}
