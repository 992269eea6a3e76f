/**
 * `RunningTotals` (behind `lmm stats --csv`) gives, after every command, exactly the total
 * statistics `statsOf` gives by a pass over every family.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, initialState, LAYOUTS, statsOf } from '@lmm/core';
import { propertyRuns, scenarioArb } from '@lmm/testkit';
import { RunningTotals } from '../src/runningTotals.js';

describe('RunningTotals', () => {
  it('equals statsOf(state).total after every command of random runs', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ options, commands }) => {
        const engine = new Engine(initialState(options));
        const totals = new RunningTotals(options.layout);
        expect(totals.stats).toEqual(statsOf(engine.peek()).total);
        commands.forEach((c, i) => {
          totals.update(engine.execute(c), engine.peek());
          expect(totals.stats, `command ${i + 1}`).toEqual(statsOf(engine.peek()).total);
        });
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('equals statsOf(state).total with hundreds of families, the largest free block moving between them', () => {
    const engine = new Engine(initialState({ layout: LAYOUTS.seed }));
    const totals = new RunningTotals(LAYOUTS.seed);
    const check = (what: string) => expect(totals.stats, what).toEqual(statsOf(engine.peek()).total);
    for (let f = 0; f < 300; f++) totals.update(engine.execute({ op: 'register', family: `f${f}`, size: 8 + f }), engine.peek());
    check('registered');
    for (let i = 0; i < 3000; i++) {
      const f = (i * 37) % 300;
      totals.update(engine.execute({ op: 'alloc', id: `b${i}`, family: `f${f}`, units: 1 + (i % 9) }), engine.peek());
      if (i % 3 === 0) totals.update(engine.execute({ op: 'free', id: `b${i - 3}` }), engine.peek());
      if (i % 100 === 0) check(`after alloc ${i}`);
    }
    for (let i = 0; i < 3000; i++) totals.update(engine.execute({ op: 'free', id: `b${i}` }), engine.peek());
    check('all freed');
    expect(totals.stats.largestFree).toBe(0);
  });
});
