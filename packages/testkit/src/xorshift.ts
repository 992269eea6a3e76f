/**
 * A seeded xorshift32 generator of numbers in [0, 1): for deterministic synthetic traces in
 * benchmarks and tests (fast-check drives the property tests; this is for bulk data).
 * Seed 0 is taken as 1.
 */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}
