import { constants as perfConstants } from 'node:perf_hooks';

/**
 * The share of V8's old-generation limit that, still in use right after a full garbage
 * collection (or within HEAP_MARGIN_BYTES of the limit, for small heaps), ends the run
 * with a clear message instead of V8's fatal out-of-memory crash (a native stack trace,
 * and no cleanup).
 */
const HEAP_FULL = 0.9;

/**
 * At least this much room is kept: a chunk of input (1 MiB of lines, some 20 000 commands)
 * can grow the heap by several MB before the guard runs again.
 */
const HEAP_MARGIN_BYTES = 24 * 2 ** 20;

/** V8's young generation on 64-bit, counted in `heap_size_limit` but not in --max-old-space-size. */
const YOUNG_GENERATION_BYTES = 48 * 2 ** 20;

/** True when `entries` (of a `gc` PerformanceObserver) hold a full (major) garbage collection: the moment the heap guard checks. */
export function majorGcIn(entries: readonly unknown[]): boolean {
  return entries.some((e) => (e as { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR);
}

/**
 * The heap guard's verdict after a full garbage collection, from V8's heap statistics:
 * `used` bytes still in use of a heap limited to `limit` bytes (`heap_size_limit`, which
 * counts the 48 MiB young generation too; what fills up is the old generation, limited to
 * the rest but never taken below half). Over 90 % of that old generation, or within 24 MiB
 * of it for small heaps, it is the message that ends the run (`out of memory: …`, with the
 * NODE_OPTIONS that doubles the limit); else undefined.
 */
export function heapOverflow(used: number, limit: number): string | undefined {
  const oldLimit = Math.max(limit - YOUNG_GENERATION_BYTES, limit / 2);
  if (used > oldLimit - Math.max((1 - HEAP_FULL) * oldLimit, HEAP_MARGIN_BYTES)) {
    const mb = (n: number) => Math.round(n / 2 ** 20);
    return (
      `out of memory: ${mb(used)} MB still in use of a ${mb(oldLimit)} MB heap (lmm holds the live heap, e.g. every allocated id of a trace); ` +
      `raise the limit with NODE_OPTIONS=--max-old-space-size=${2 * mb(oldLimit)}`
    );
  }
  return undefined;
}
