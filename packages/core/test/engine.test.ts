/**
 * `step` and `Engine`, the two ways to run commands: what they hand back when nothing
 * changes (the very same state object, so a consumer can tell a rejected command from one
 * that did something by identity), and `Engine.apply`, the fold of a log's facts without
 * deciding them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpJson, Engine, evolveAll, FoldError, initialState, step, type Fact } from '@lmm/core';
import { propertyRuns, scenarioArb } from '@lmm/testkit';

const seed = () => initialState({ layout: { pageSize: 4096, pageHeaderSize: 28, metaSize: 12 }, policy: 'worst-fit', maxPages: null });

describe('step', () => {
  it('hands back the very state it was given for a rejected command, and a new one for a command that changes the heap', () => {
    const empty = seed();
    const reg = step(empty, { op: 'register', family: 'f', size: 8 });
    expect(reg.facts.map((f) => f.type)).toEqual(['Registered']);
    expect(reg.state).not.toBe(empty);
    for (const bad of [{ op: 'free', id: 'nobody' }, { op: 'alloc', id: 'a', family: 'unknown' }, 'not a command']) {
      const r = step(reg.state, bad);
      expect(r.facts).toHaveLength(1);
      expect(r.facts[0]!.type).toBe('Rejected');
      expect(r.state).toBe(reg.state);
    }
  });
});

describe('Engine', () => {
  it('snapshot() hands back the same object until something changes, and rejected commands change nothing', () => {
    const engine = new Engine(seed());
    const first = engine.snapshot();
    expect(engine.snapshot()).toBe(first);
    expect(engine.execute({ op: 'register', family: 'f', size: 8 })[0]!.type).toBe('Registered');
    const registered = engine.snapshot();
    expect(registered).not.toBe(first);
    expect(registered.families.size).toBe(1);
    expect(engine.execute({ op: 'free', id: 'nobody' })[0]!.type).toBe('Rejected');
    expect(engine.execute({ op: 'register', family: 'f', size: 8 })[0]!.type).toBe('Rejected');
    expect(engine.snapshot()).toBe(registered);
    engine.apply({ type: 'Rejected', command: { op: 'free', id: 'x' }, code: 'E_NOT_ALLOCATED', message: 'x' });
    expect(engine.snapshot()).toBe(registered);
    engine.setPolicy('worst-fit');
    expect(engine.snapshot()).toBe(registered);
    engine.setPolicy('best-fit');
    expect(engine.snapshot()).not.toBe(registered);
    expect(engine.snapshot().policy).toBe('best-fit');
  });

  it('apply folds a run’s facts into the state the run reached (as evolveAll does), one snapshot at the end', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        const initial = initialState(scenario.options);
        const run = new Engine(initial);
        const facts: Fact[] = [];
        for (const c of scenario.commands) facts.push(...run.execute(c));
        const fold = new Engine(initial);
        for (const f of facts) fold.apply(f);
        const expected = dumpJson(run.snapshot());
        expect(dumpJson(fold.snapshot())).toBe(expected);
        expect(dumpJson(evolveAll(initial, facts))).toBe(expected);
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it('apply checks each fact against the state and throws FoldError for one that does not fit', () => {
    const engine = new Engine(seed());
    engine.apply({ type: 'Registered', family: 'f', size: 8 });
    expect(() => engine.apply({ type: 'Registered', family: 'f', size: 8 })).toThrow(FoldError);
    // Named as its class, as error printers and loggers show it.
    expect(() => engine.apply({ type: 'Registered', family: 'f', size: 8 })).toThrow(expect.objectContaining({ name: 'FoldError' }));
    expect(() => engine.apply({ type: 'Freed', id: 'x', family: 'f', page: 1, offset: 28, size: 8, merged: { offset: 28, size: 4056 } })).toThrow(FoldError);
  });
});
