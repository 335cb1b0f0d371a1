import { describe, expect, test } from "vitest";

import { computeBackoffDelay } from "../../src/queue/compute-backoff-delay.js";

const base = { baseMs: 2000, maxMs: 300_000 };

function delays(random: () => number, attempts: number[]): number[] {
  return attempts.map((attempt) =>
    computeBackoffDelay({ ...base, attempt, random }),
  );
}

describe("retry backoff", () => {
  test("doubles with each failed attempt", () => {
    expect(delays(() => 0, [1, 2, 3, 4])).toEqual([1000, 2000, 4000, 8000]);
    expect(delays(() => 0.5, [1, 2, 3, 4])).toEqual([1500, 3000, 6000, 12000]);
  });

  test("keeps half of the delay fixed and spreads the other half", () => {
    const lowest = computeBackoffDelay({
      ...base,
      attempt: 3,
      random: () => 0,
    });
    const highest = computeBackoffDelay({
      ...base,
      attempt: 3,
      random: () => 0.999_999,
    });
    expect(lowest).toBe(4000);
    expect(highest).toBe(8000);
  });

  test("never waits longer than the cap, however many attempts failed", () => {
    for (const attempt of [9, 10, 30, 1000]) {
      const high = computeBackoffDelay({
        ...base,
        attempt,
        random: () => 0.999_999,
      });
      const low = computeBackoffDelay({ ...base, attempt, random: () => 0 });
      expect(high).toBe(300_000);
      expect(low).toBe(150_000);
    }
  });

  test("treats an attempt below 1 as the first", () => {
    expect(computeBackoffDelay({ ...base, attempt: 0, random: () => 0 })).toBe(
      1000,
    );
  });
});
