/**
 * The family mappings of SPEC §4 as properties over random request sequences and layouts:
 * each request lands in the family its mapping names, each family is registered once
 * before its first use and fits the layout, reallocs stay in their block's family with
 * units = ceil(n / size), and the engine never rejects what the mapper makes for a
 * family reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLayout, Engine, initialState, maxAlloc, type Command, type Layout } from '@lmm/core';
import { FamilyMapper, type FamilyMapping, type TraceCommand } from '@lmm/replay';
import { propertyRuns } from '@lmm/testkit';

const layoutArb = fc
  .record({ exp: fc.integer({ min: 8, max: 14 }), header: fc.nat(64), meta: fc.nat(64) })
  .map(({ exp, header, meta }) => checkLayout({ pageSize: 2 ** exp, pageHeaderSize: header, metaSize: meta }))
  .filter((l): l is Layout => typeof l !== 'string');

const requestArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('alloc' as const), n: fc.oneof(fc.nat(16), fc.nat(5000), fc.nat(40000)) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('realloc' as const), pick: fc.nat(), n: fc.nat(6000), rename: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('free' as const), pick: fc.nat() }) },
);

/** The family SPEC §4 names for a fresh request of n bytes (0 counting as 1). */
function expectedPlace(mapping: FamilyMapping, bytes: number, layout: Layout): { family: string; size: number; units: number } {
  const n = Math.max(bytes, 1);
  const limit = maxAlloc(layout);
  switch (mapping) {
    case 'single':
      return { family: 'heap', size: 1, units: n };
    case 'pow2': {
      const classes = [8, 16, 32, 64, 128, 256, 512, 1024, 2048].filter((c) => c <= limit);
      const c = classes.find((k) => k >= n);
      return c === undefined ? { family: 'large', size: 1, units: n } : { family: `c${c}`, size: c, units: 1 };
    }
    case 'exact':
      return n > limit ? { family: 'large', size: 1, units: n } : { family: `s${n}`, size: n, units: 1 };
  }
}

describe.each(['single', 'pow2', 'exact'] as const)('--families %s', (mapping) => {
  it('maps every request as SPEC §4 says, and the engine accepts every family it registers', () => {
    fc.assert(
      fc.property(layoutArb, fc.array(requestArb, { maxLength: 60 }), (layout, requests) => {
        const mapper = new FamilyMapper(mapping, layout);
        const engine = new Engine(initialState({ layout }));
        const live: { id: string; size: number }[] = [];
        const sizes = new Map<string, number>();
        let nextId = 0;
        for (const r of requests) {
          const out: TraceCommand[] = [];
          if (r.k === 'alloc') {
            const id = `a${nextId++}`;
            mapper.alloc(id, r.n, 7, out);
            const want = expectedPlace(mapping, r.n, layout);
            const fresh = !sizes.has(want.family);
            expect(out.map((c) => c.command)).toEqual([
              ...(fresh ? [{ op: 'register', family: want.family, size: want.size }] : []),
              { op: 'alloc', id, family: want.family, units: want.units },
            ]);
            sizes.set(want.family, want.size);
            live.push({ id, size: want.size });
          } else if (live.length > 0 && r.k === 'realloc') {
            const block = live[r.pick % live.length]!;
            const to = r.rename ? `a${nextId++}` : block.id;
            mapper.realloc(block.id, to, r.n, 7, out);
            const units = Math.ceil(Math.max(r.n, 1) / block.size);
            expect(out.map((c) => c.command)).toEqual([to === block.id ? { op: 'realloc', id: block.id, units } : { op: 'realloc', id: block.id, units, to }]);
            block.id = to;
          } else if (live.length > 0 && r.k === 'free') {
            const [block] = live.splice(r.pick % live.length, 1);
            mapper.free(block!.id, 7, out);
            expect(out.map((c) => c.command)).toEqual([{ op: 'free', id: block!.id }]);
          }
          for (const { command } of out) {
            for (const f of engine.execute(command)) {
              if (f.type === 'Rejected') expect(['E_BAD_UNITS', 'E_OUT_OF_MEMORY'], JSON.stringify(f)).toContain(f.code);
            }
          }
          expect(mapper.liveCount).toBe(live.length);
        }
        for (const [family, size] of sizes) expect(size, family).toBeLessThanOrEqual(maxAlloc(layout));
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

describe('FamilyMapper mirrors the trace, not the engine', () => {
  it('an alloc of a live id keeps its first family; a free or realloc of an unknown id is passed on', () => {
    const mapper = new FamilyMapper('exact', { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 });
    const out: TraceCommand[] = [];
    mapper.alloc('x', 24, 1, out);
    mapper.alloc('x', 100, 2, out);
    mapper.realloc('x', 'x', 50, 3, out);
    mapper.realloc('nobody', 'y', 50, 4, out);
    mapper.free('ghost', 5, out);
    expect(out.map((c) => c.command as Command)).toEqual([
      { op: 'register', family: 's24', size: 24 },
      { op: 'alloc', id: 'x', family: 's24', units: 1 },
      { op: 'register', family: 's100', size: 100 },
      { op: 'alloc', id: 'x', family: 's100', units: 1 },
      { op: 'realloc', id: 'x', units: 3 },
      { op: 'realloc', id: 'nobody', units: 50, to: 'y' },
      { op: 'free', id: 'ghost' },
    ]);
    expect(mapper.liveCount).toBe(1);
  });
});
