/** The pure parts of `lmm compare`: the min/max buckets of its charts, and its CSV and JSON forms. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statsOf, initialState, LAYOUTS, POLICIES } from '@lmm/core';
import { compareCsv, compareJson, bestOfTrace } from '../src/compareFormat.js';
import type { CompareRow } from '../src/compareRun.js';
import { MinMaxSeries } from '../src/minMaxSeries.js';

describe('MinMaxSeries', () => {
  it('each bucket holds the min and max of exactly its commands, so the peak and the trough survive', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1e6), fc.nat(1e6)), { maxLength: 3000 }), fc.integer({ min: 1, max: 40 }), (values, half) => {
        const s = new MinMaxSeries(half);
        for (const [live, heap] of values) s.add(live, heap);
        const b = s.finish();
        expect(b.commands).toBe(values.length);
        expect(b.liveMax.length).toBe(Math.ceil(values.length / b.width));
        expect(b.liveMax.length).toBeLessThanOrEqual(2 * half);
        if (values.length > 2 * half) expect(b.liveMax.length).toBeGreaterThan(half);
        for (let i = 0; i < b.liveMax.length; i++) {
          const slice = values.slice(i * b.width, (i + 1) * b.width);
          expect([b.liveMin[i], b.liveMax[i], b.heapMin[i], b.heapMax[i]]).toEqual([
            Math.min(...slice.map((v) => v[0])),
            Math.max(...slice.map((v) => v[0])),
            Math.min(...slice.map((v) => v[1])),
            Math.max(...slice.map((v) => v[1])),
          ]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

const row = (trace: string, policy: (typeof POLICIES)[number], util: number): CompareRow => ({
  trace,
  layout: 'seed',
  families: 'single',
  policy,
  commands: 3,
  rejected: 1,
  peakLiveBytes: 10,
  peakHeapBytes: 4096,
  peakUtilization: util,
  peakPages: 1,
  final: statsOf(initialState({ layout: LAYOUTS.seed })).total,
});

describe('compare output forms', () => {
  it('JSON has the fields of SPEC §5 in order, CSV the same as columns with final. prefixes, quoted where needed', () => {
    const rows = [row('a "b", c.log', 'worst-fit', 0.5), row('x.log', 'best-fit', 0.25)];
    const json = JSON.parse(compareJson(rows)) as { runs: Record<string, unknown>[] };
    expect(Object.keys(json.runs[0]!)).toEqual(['trace', 'layout', 'families', 'policy', 'commands', 'rejected', 'peakLiveBytes', 'peakHeapBytes', 'peakUtilization', 'peakPages', 'final']);
    expect(Object.keys(json.runs[0]!.final as object)).toEqual(Object.keys(rows[0]!.final));
    const [head, first, second] = compareCsv(rows).trimEnd().split('\n');
    expect(head).toBe(
      'trace,layout,families,policy,commands,rejected,peakLiveBytes,peakHeapBytes,peakUtilization,peakPages,' +
        Object.keys(rows[0]!.final)
          .map((k) => `final.${k}`)
          .join(','),
    );
    expect(first!.startsWith('"a ""b"", c.log",seed,single,worst-fit,3,1,10,4096,0.5,1,0,0,')).toBe(true);
    expect(second!.startsWith('x.log,seed,single,best-fit,')).toBe(true);
  });

  it('marks the best peak utilization of each trace, ties all', () => {
    expect(bestOfTrace([row('a', 'worst-fit', 0.5), row('a', 'best-fit', 0.7), row('a', 'first-fit', 0.7), row('b', 'worst-fit', 0.1)])).toEqual([false, true, true, true]);
  });
});
