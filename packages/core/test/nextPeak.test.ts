/**
 * `nextPeak`, a run's peaks (SPEC §3: peakLiveBytes, peakHeapBytes and their ratio, each taken
 * after every command): a worked run in which live and heap bytes peak at different commands,
 * and the fold over random runs against the naive model's own peaks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAYOUTS, NO_PEAK, nextPeak, type Peak } from '@lmm/core';
import { naivePeak, propertyRuns, runCommands, scenarioArb } from '@lmm/testkit';

describe('nextPeak', () => {
  it('keeps the largest live and heap bytes seen, each on its own, and hands back the very peak when neither grew', () => {
    // Layout seed: 4096-byte pages, no header, 28-byte meta blocks. Families of 1-byte structs,
    // so units are bytes. Page 1 of A starts as one free block of 4096 − 28 = 4068 bytes.
    const commands = [
      { op: 'register', family: 'A', size: 1 },
      { op: 'register', family: 'B', size: 1 },
      // a at offset 0; the rest, 4068 − 3000 − 28 = 1040 bytes, stays free at offset 3028.
      { op: 'alloc', id: 'a', family: 'A', units: 3000 },
      // a2 at 3028; 1040 − 500 − 28 = 512 bytes stay free at 3556.
      { op: 'alloc', id: 'a2', family: 'A', units: 500 },
      // a's 3000 bytes turn free (a2 is between them and the tail: no merge); page 1 stays.
      { op: 'free', id: 'a' },
      // B's first block needs B's own page: 2 pages in use, 510 live bytes.
      { op: 'alloc', id: 'b', family: 'B', units: 10 },
      // B's page empties and goes back.
      { op: 'free', id: 'b' },
      // c fills a's old 3000-byte hole exactly: live is back at 3500 on one page.
      { op: 'alloc', id: 'c', family: 'A', units: 3000 },
      // d fills the 512-byte tail exactly: 4012 live bytes on that one page.
      { op: 'alloc', id: 'd', family: 'A', units: 512 },
    ];
    const run = runCommands({ layout: LAYOUTS.seed, policy: 'worst-fit', maxPages: null }, commands);
    // What each state holds, checked first so that the peaks below rest on known inputs.
    expect(run.states.map((s) => [s.liveBytes, s.pagesInUse])).toEqual([
      [0, 0],
      [0, 0],
      [3000, 1],
      [3500, 1],
      [500, 1],
      [510, 2],
      [500, 1],
      [3500, 1],
      [4012, 1],
    ]);
    const peak = (liveBytes: number, heapBytes: number): Peak => ({ liveBytes, heapBytes, utilization: liveBytes / heapBytes });
    // [expected peak after the command, whether it is the very object from before]
    const expected: [Peak, boolean][] = [
      [NO_PEAK, true], // nothing in use: the empty heap's peak is no peak
      [NO_PEAK, true],
      [peak(3000, 4096), false], // both grew
      [peak(3500, 4096), false], // live grew, the heap stayed
      [peak(3500, 4096), true], // live fell, heap equal to its peak
      [peak(3500, 8192), false], // the heap grew while live stayed below its peak
      [peak(3500, 8192), true], // both below
      [peak(3500, 8192), true], // live equal to its peak, heap below
      [peak(4012, 8192), false], // live grew while the heap stayed below its peak
    ];
    let before = NO_PEAK;
    run.states.forEach((state, i) => {
      const after = nextPeak(before, state);
      expect(after, `after command ${i + 1}`).toStrictEqual(expected[i]![0]);
      expect(after === before, `after command ${i + 1}: the same object`).toBe(expected[i]![1]);
      before = after;
    });
  });

  it('folded over a run, gives the naive model’s peak live and heap bytes and their ratio', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 60 }), ({ options, commands }) => {
        const run = runCommands(options, commands);
        const folded = run.states.reduce(nextPeak, NO_PEAK);
        const model = naivePeak(options.layout, options.policy, options.maxPages, commands);
        expect(folded).toStrictEqual({ liveBytes: model.liveBytes, heapBytes: model.heapBytes, utilization: model.utilization });
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});
