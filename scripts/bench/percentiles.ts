/** The figures a latency sample is reported by, in the sample's unit. */
export interface Summary {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/**
 * The nearest-rank percentile: the smallest value with at least p percent
 * of the sample at or below it. It is always a value that was measured, so
 * the p99 of 20 samples is honestly their maximum.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new RangeError("percentile: the sample is empty");
  }
  if (!(p > 0 && p <= 100)) {
    throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
}

/** p50, p99, max and mean of a sample; nulls for an empty one. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) {
    return { count: 0, p50: null, p99: null, max: null, mean: null };
  }
  const total = values.reduce((sum, v) => sum + v, 0);
  return {
    count: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: percentile(values, 100),
    mean: total / values.length,
  };
}

/** Two decimals: enough for milliseconds, short in JSON and tables. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The summary with every figure rounded for the report. */
export function roundSummary(summary: Summary): Summary {
  const r = (v: number | null) => (v === null ? null : round2(v));
  return {
    count: summary.count,
    p50: r(summary.p50),
    p99: r(summary.p99),
    max: r(summary.max),
    mean: r(summary.mean),
  };
}
