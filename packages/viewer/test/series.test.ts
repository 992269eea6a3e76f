import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, bucketStart, SeriesBuilder } from '../src/model/series.js';

// Values from a few whole pages as often as from anywhere: maxima tie (a peak reached again), as in real runs.
const bytesArb = fc.oneof(fc.nat({ max: 1 << 20 }), fc.constantFrom(0, 4096, 8192, 12288));
const valuesArb = fc.array(fc.tuple(bytesArb, bytesArb), { minLength: 1, maxLength: 300 });

describe('chart series', () => {
  it('buckets cover the commands in order, each command in exactly one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 400 }), (commands, max) => {
        const buckets = Math.min(commands, max);
        expect(bucketStart(0, buckets, commands)).toBe(1);
        expect(bucketStart(buckets, buckets, commands)).toBe(commands + 1);
        for (let b = 0; b < buckets; b++) expect(bucketStart(b + 1, buckets, commands)).toBeGreaterThan(bucketStart(b, buckets, commands));
        for (let c = 1; c <= commands; c += Math.ceil(commands / 97)) {
          const b = bucketOf(c, buckets, commands);
          expect(bucketStart(b, buckets, commands)).toBeLessThanOrEqual(c);
          expect(bucketStart(b + 1, buckets, commands)).toBeGreaterThan(c);
        }
      }),
    );
  });

  it('each bucket holds the extremes of its commands; peaks are the first commands reaching the maxima', () => {
    fc.assert(
      fc.property(valuesArb, fc.integer({ min: 1, max: 50 }), (values, maxBuckets) => {
        const s = new SeriesBuilder();
        values.forEach(([heap, live], i) => s.record(i + 1, heap, live));
        const r = s.finish(maxBuckets);
        const n = values.length;
        expect(r.buckets).toBe(Math.min(n, maxBuckets));
        for (let b = 0; b < r.buckets; b++) {
          const part = values.slice(bucketStart(b, r.buckets, n) - 1, bucketStart(b + 1, r.buckets, n) - 1);
          expect(r.heapMax[b]).toBe(Math.max(...part.map(([h]) => h)));
          expect(r.heapMin[b]).toBe(Math.min(...part.map(([h]) => h)));
          expect(r.liveMax[b]).toBe(Math.max(...part.map(([, l]) => l)));
          expect(r.utilMax[b]).toBe(Math.max(...part.map(([h, l]) => (h === 0 ? 0 : l / h))));
        }
        const maxHeap = Math.max(...values.map(([h]) => h));
        expect(r.peakHeap.bytes).toBe(maxHeap);
        if (maxHeap > 0) expect(r.peakHeap.cmd).toBe(values.findIndex(([h]) => h === maxHeap) + 1);
        const maxLive = Math.max(...values.map(([, l]) => l));
        expect(r.peakLive.bytes).toBe(maxLive);
        if (maxLive > 0) expect(r.peakLive.cmd).toBe(values.findIndex(([, l]) => l === maxLive) + 1);
        expect(r.peakUtilization).toBe(maxHeap === 0 ? 0 : r.peakLive.bytes / maxHeap);
      }),
    );
  });

  it('a peak reached twice is marked at the first command that reached it', () => {
    const s = new SeriesBuilder();
    [
      [4096, 100],
      [8192, 3000],
      [4096, 1000],
      [8192, 3000],
      [8192, 2000],
    ].forEach(([heap, live], i) => s.record(i + 1, heap!, live!));
    const r = s.finish();
    expect(r.peakHeap).toEqual({ cmd: 2, bytes: 8192 });
    expect(r.peakLive).toEqual({ cmd: 2, bytes: 3000 });
  });

  it('counts events per bucket and carries values over commands without facts', () => {
    const s = new SeriesBuilder();
    s.record(1, 4096, 10);
    s.event(2, 'PageRequest');
    s.event(2, 'PageRequest');
    s.event(3, 'Rejected');
    s.record(4, 8192, 20); // commands 2 and 3 keep command 1's values
    s.event(4, 'PageRelease');
    const r = s.finish();
    expect(r.buckets).toBe(4);
    expect(r.heapMax).toEqual([4096, 4096, 4096, 8192]);
    expect(r.liveMax).toEqual([10, 10, 10, 20]);
    expect(r.requests).toEqual([0, 2, 0, 0]);
    expect(r.rejections).toEqual([0, 0, 1, 0]);
    expect(r.releases).toEqual([0, 0, 0, 1]);
    expect(r.peakHeap).toEqual({ cmd: 4, bytes: 8192 });
    expect(new SeriesBuilder().finish().buckets).toBe(0);
  });
});
