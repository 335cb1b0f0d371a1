import type { Wait } from "../../src/state/wait.js";

/** A Wait that resolves only when the test calls `release()`. */
export function createManualWait() {
  const requested: number[] = [];
  let pending: (() => void)[] = [];

  const wait: Wait = (ms) => {
    requested.push(ms);
    return new Promise((resolve) => pending.push(resolve));
  };

  function release(): void {
    const waiting = pending;
    pending = [];
    for (const resolve of waiting) resolve();
  }

  return { wait, requested, release };
}
