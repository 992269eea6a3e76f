// Order statistics of timings, for the benches' tables.

/** The median of `xs` (the upper one of an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** The `p`-quantile of `xs` (0 ≤ p ≤ 1; the nearest rank below, the largest for p = 1). */
export const pct = (xs: readonly number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
