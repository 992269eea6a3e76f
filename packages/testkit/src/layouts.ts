import fc from 'fast-check';
import { LAYOUTS, checkLayout, type Layout } from '@lmm/core';

/** The three named layouts of SPEC §1 (`seed`, `lmm64`, `lmm32`), with equal weight. */
export const namedLayoutArb: fc.Arbitrary<Layout> = fc.constantFrom(LAYOUTS.seed, LAYOUTS.lmm64, LAYOUTS.lmm32);

/**
 * A random valid custom `PAGE:HEADER:META` layout: pageSize a power of two from 256 B to
 * 1 MiB (small pages weighted up, they make pages fill and empty quickly), header and meta
 * from 0 up to about a quarter of the page (metaSize 0 and header 0 both common), and now
 * and then an extreme one where maxAlloc is a single byte or a handful of bytes.
 */
export const customLayoutArb: fc.Arbitrary<Layout> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        shift: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(8, 9, 10) }, { weight: 1, arbitrary: fc.integer({ min: 11, max: 20 }) }),
        header: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 1 << 18 })),
        meta: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 1 << 18 })),
      })
      .map(({ shift, header, meta }) => {
        const pageSize = 2 ** shift;
        const quarter = pageSize >> 2;
        return { pageSize, pageHeaderSize: header % (quarter + 1), metaSize: meta % (quarter + 1) };
      }),
  },
  {
    // maxAlloc from 1 to 8: almost every request is a large block.
    weight: 1,
    arbitrary: fc.record({ meta: fc.integer({ min: 0, max: 247 }), maxAlloc: fc.integer({ min: 1, max: 8 }) }).map(({ meta, maxAlloc }) => ({
      pageSize: 256,
      pageHeaderSize: 256 - maxAlloc - meta,
      metaSize: meta,
    })),
  },
).map((layout) => {
  const checked = checkLayout(layout);
  if (typeof checked === 'string') throw new Error(`customLayoutArb made an invalid layout: ${checked}`);
  return checked;
});

/** Any layout: a named one (mostly `seed` and `lmm64`, whose numbers the references use) or a custom one. */
export const layoutArb: fc.Arbitrary<Layout> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(LAYOUTS.seed) },
  { weight: 2, arbitrary: fc.constant(LAYOUTS.lmm64) },
  { weight: 1, arbitrary: fc.constant(LAYOUTS.lmm32) },
  { weight: 3, arbitrary: customLayoutArb },
);

/**
 * A `PAGE:HEADER:META` triple at or just beyond SPEC §1's bounds (pageSize 128, 255, 256,
 * 257, 384, 2^19, 1 MiB, 1 MiB + 1, 2 MiB…; maxAlloc 0, 1 or 2; header or meta 0, or the
 * whole page), valid or not: for tests that a reader accepts exactly the valid ones
 * (`layoutIsValid` says which, from SPEC's words alone).
 */
export const layoutEdgeArb: fc.Arbitrary<Layout> = fc
  .record({
    pageSize: fc.constantFrom(0, 1, 2, 128, 255, 256, 257, 384, 512, 3 << 10, 1 << 19, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 1 << 21, 1 << 22),
    split: fc.oneof(
      // maxAlloc of −1, 0, 1 or 2, the rest shared between header and meta.
      fc.record({ maxAlloc: fc.integer({ min: -1, max: 2 }), headerShare: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ maxAlloc: fc.constant(null), headerShare: fc.constantFrom(0, 0.25, 0.5, 1) }),
    ),
  })
  .map(({ pageSize, split }) => {
    const room = split.maxAlloc === null ? pageSize >> 2 : Math.max(0, pageSize - split.maxAlloc);
    const pageHeaderSize = Math.floor(room * split.headerShare);
    return { pageSize, pageHeaderSize, metaSize: room - pageHeaderSize };
  });

/** SPEC §1's rule for a custom layout, written from its text: pageSize a power of two, 256…1 MiB; header, meta ≥ 0; maxAlloc ≥ 1. */
export function layoutIsValid({ pageSize, pageHeaderSize, metaSize }: Layout): boolean {
  const powerOfTwo = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].some((k) => 2 ** k === pageSize);
  return powerOfTwo && pageHeaderSize >= 0 && metaSize >= 0 && pageSize - pageHeaderSize - metaSize >= 1;
}
