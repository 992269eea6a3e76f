/**
 * The memory guard's decision (`main.ts` asks it after each garbage collection): only a full
 * collection counts, and the heap is full past 90 % of V8's old generation (the limit less
 * its 48 MiB young generation, at least half the limit) or within 24 MiB of it, whichever
 * leaves more room. The thresholds below are worked out by hand from those rules.
 */
import { constants } from 'node:perf_hooks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '@lmm/testkit';
import { heapOverflow, majorGcIn } from '../src/heapGuard.js';

const MiB = 2 ** 20;

describe('majorGcIn', () => {
  it('true only when some entry is a full (major) collection', () => {
    const gc = (kind: number) => ({ entryType: 'gc', detail: { kind } });
    expect(majorGcIn([gc(constants.NODE_PERFORMANCE_GC_MAJOR)])).toBe(true);
    expect(majorGcIn([gc(constants.NODE_PERFORMANCE_GC_MINOR), gc(constants.NODE_PERFORMANCE_GC_MAJOR)])).toBe(true);
    expect(majorGcIn([gc(constants.NODE_PERFORMANCE_GC_MINOR), gc(constants.NODE_PERFORMANCE_GC_INCREMENTAL)])).toBe(false);
    // Node before 16 put the kind on the entry, not in detail: no detail is not a full collection.
    expect(majorGcIn([{ entryType: 'gc', kind: constants.NODE_PERFORMANCE_GC_MAJOR }])).toBe(false);
    expect(majorGcIn([])).toBe(false);
  });
});

describe('heapOverflow', () => {
  it('a 4 GiB limit: old generation 4048 MiB, full past 90 % of it (3643.2 MiB)', () => {
    expect(heapOverflow(3643 * MiB, 4096 * MiB)).toBeUndefined();
    expect(heapOverflow(3644 * MiB, 4096 * MiB)).toBe(
      'out of memory: 3644 MB still in use of a 4048 MB heap (lmm holds the live heap, e.g. every allocated id of a trace); raise the limit with NODE_OPTIONS=--max-old-space-size=8096',
    );
  });

  it('a 200 MiB limit: old generation 152 MiB, whose 10 % (15.2 MiB) is less than the 24 MiB kept: full past 128 MiB exactly', () => {
    expect(heapOverflow(128 * MiB, 200 * MiB)).toBeUndefined();
    expect(heapOverflow(128 * MiB + 1, 200 * MiB)).toBe(
      'out of memory: 128 MB still in use of a 152 MB heap (lmm holds the live heap, e.g. every allocated id of a trace); raise the limit with NODE_OPTIONS=--max-old-space-size=304',
    );
  });

  it('an 80 MiB limit: the old generation is half of it (40 MiB, more than 80 − 48), full past 16 MiB', () => {
    expect(heapOverflow(16 * MiB, 80 * MiB)).toBeUndefined();
    expect(heapOverflow(16 * MiB + 1, 80 * MiB)).toMatch(/^out of memory: 16 MB still in use of a 40 MB heap .*--max-old-space-size=80$/);
  });

  it('more in use never makes the verdict milder; the advice always doubles the heap it names', () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 16_384 }), fc.integer({ min: 0, max: 2 ** 34 }), fc.integer({ min: 0, max: 2 ** 30 }), (limitMiB, used, more) => {
        const limit = limitMiB * MiB;
        const now = heapOverflow(used, limit);
        if (now !== undefined) {
          expect(heapOverflow(used + more, limit)).toBeDefined();
          const [, heap, advice] = /of a (\d+) MB heap .*--max-old-space-size=(\d+)$/.exec(now)!;
          expect(Number(advice)).toBe(2 * Number(heap));
        }
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});
