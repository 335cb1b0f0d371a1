const DAY_MS = 24 * 60 * 60 * 1000;

export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
  advanceDays(days: number): void;
}

/** Real time plus an offset the test moves forward. */
export function createTestClock(): TestClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (ms) => {
      offsetMs += ms;
    },
    advanceDays: (days) => {
      offsetMs += days * DAY_MS;
    },
  };
}
