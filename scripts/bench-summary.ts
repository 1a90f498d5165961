/** One benchmark line: count, p50, p95 and max of the samples in milliseconds. */
export function summary(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
  return `${name.padEnd(18)} n=${sorted.length}  p50=${at(0.5)} ms  p95=${at(0.95)} ms  max=${sorted[sorted.length - 1]!.toFixed(0)} ms`;
}

/** The `q` quantile (0..1) of the samples, rounded to the millisecond; 0 without samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
}
