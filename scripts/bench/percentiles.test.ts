import { describe, expect, test } from "vitest";

import { percentile, roundSummary, summarize } from "./percentiles.js";

describe("percentile", () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  test("takes the nearest rank of an unsorted sample", () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 1)).toBe(1);
  });

  test("answers a value that was measured, never an interpolation", () => {
    expect(percentile([10, 20], 50)).toBe(10);
    expect(percentile([10, 20], 51)).toBe(20);
  });

  test("makes the p99 of a small sample its maximum", () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(twenty, 99)).toBe(20);
    expect(percentile(twenty, 50)).toBe(10);
  });

  test("leaves the caller's array in its order", () => {
    const sample = [3, 1, 2];
    percentile(sample, 50);
    expect(sample).toEqual([3, 1, 2]);
  });

  test("refuses an empty sample and a p outside (0, 100]", () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(/p must be in/);
    expect(() => percentile([1], 101)).toThrow(/p must be in/);
    expect(() => percentile([1], Number.NaN)).toThrow(/p must be in/);
  });
});

describe("summarize", () => {
  test("reports count, p50, p99, max and mean", () => {
    expect(summarize([4, 1, 3, 2])).toEqual({
      count: 4,
      p50: 2,
      p99: 4,
      max: 4,
      mean: 2.5,
    });
  });

  test("gives nulls for an empty sample instead of throwing", () => {
    expect(summarize([])).toEqual({
      count: 0,
      p50: null,
      p99: null,
      max: null,
      mean: null,
    });
  });

  test("rounds every figure to two decimals for the report", () => {
    expect(roundSummary(summarize([1.234, 2.345, 3.456]))).toEqual({
      count: 3,
      p50: 2.35,
      p99: 3.46,
      max: 3.46,
      mean: 2.35,
    });
  });
});
