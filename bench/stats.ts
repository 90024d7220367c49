/**
 * Small statistics for the benchmark: median and spread over rounds, and percentiles.
 *
 * @example
 * ```ts
 * import { summarize, percentile } from "./stats.ts";
 * summarize([3, 1, 2]); // { median: 2, min: 1, max: 3 }
 * percentile([1, 2, 3, 4], 0.99); // 4
 * ```
 * @module
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
}

/** The median of the rounds, and their range as the spread. */
export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** The `p` percentile (0..1) of `values`, nearest-rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
