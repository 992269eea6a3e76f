/**
 * SPEC §2 invariants 9 (determinism) and 10 (folding the fact log alone gives the same
 * state), and persistence: every intermediate state stays what it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpJson, Engine, evolve, evolveAll, FoldError, initialState, statsOf, step, type HeapState } from '@lmm/core';
import { fingerprint, liveIds, propertyRuns, runCommands, scenarioArb } from '@lmm/testkit';

describe('folding facts (invariant 10)', () => {
  it('evolveAll over the whole fact log from the initial state gives the state the commands gave', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ options, commands }) => {
        const run = runCommands(options, commands);
        const folded = evolveAll(initialState(options), run.facts.flat());
        expect(dumpJson(folded)).toBe(dumpJson(run.final));
        expect(statsOf(folded)).toStrictEqual(statsOf(run.final));
        expect(liveIds(folded)).toEqual(liveIds(run.final));
        expect(fingerprint(folded)).toBe(fingerprint(run.final));
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('evolve one fact at a time matches the state after every command', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ options, commands }) => {
        const run = runCommands(options, commands);
        let state: HeapState = initialState(options);
        run.facts.forEach((facts, i) => {
          for (const fact of facts) state = evolve(state, fact);
          expect(fingerprint(state), `after command ${i + 1}`).toBe(fingerprint(run.states[i]!));
        });
      }),
      { numRuns: propertyRuns(80) },
    );
  });

  it('a fact that does not fit the state throws FoldError and leaves the state as it was', () => {
    fc.assert(
      fc.property(scenarioArb({ minLength: 5 }), fc.nat(), ({ options, commands }, a) => {
        const run = runCommands(options, commands);
        const facts = run.facts.flat().filter((f) => f.type !== 'Rejected');
        fc.pre(facts.length >= 2);
        // Replaying a fact a second time, right after itself, never fits (ids, pages, blocks are taken).
        const i = a % facts.length;
        const before = evolveAll(initialState(options), facts.slice(0, i + 1));
        const print = fingerprint(before);
        expect(() => evolve(before, facts[i]!)).toThrow(FoldError);
        expect(fingerprint(before)).toBe(print);
        // Dropped, swapped or edited facts: foldMutation.property.test.ts here, and the log
        // reader's replay/test/factLogMutation.property.test.ts, assert an outcome for each.
      }),
      { numRuns: propertyRuns(80) },
    );
  });
});

describe('determinism (invariant 9)', () => {
  it('the same commands, layout and policy give the same facts and states, always', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ options, commands }) => {
        const one = runCommands(options, commands);
        // A deep copy of the commands: nothing may depend on object identity.
        const two = runCommands({ ...options }, JSON.parse(JSON.stringify(commands)) as unknown[]);
        expect(two.facts).toStrictEqual(one.facts);
        two.states.forEach((s, i) => expect(dumpJson(s), `after command ${i + 1}`).toBe(dumpJson(one.states[i]!)));
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});

describe('persistence', () => {
  it('every intermediate state still shows what it showed when it was made, after the run went on and branched', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.nat(), ({ options, commands }, seed) => {
        const initial = initialState(options);
        const initialPrint = fingerprint(initial);
        const states: HeapState[] = [];
        const atTheTime: string[] = [];
        let state = initial;
        for (const command of commands) {
          state = step(state, command).state;
          states.push(state);
          atTheTime.push(fingerprint(state));
        }
        // Branch off old states: the remaining commands backwards (frees before allocs) with
        // step, and through an Engine, which writes its working copy in place.
        const every = 3 + (seed % 5);
        for (let j = seed % every; j < states.length; j += every) {
          let branch = states[j]!;
          for (const command of commands.slice(j + 1).reverse()) branch = step(branch, command).state;
          const engine = new Engine(states[j]!);
          for (const command of commands.slice(0, j + 1)) engine.execute(command);
          engine.snapshot();
        }
        expect(fingerprint(initial)).toBe(initialPrint);
        states.forEach((s, i) => expect(fingerprint(s), `state after command ${i + 1}`).toBe(atTheTime[i]));
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it("an engine's snapshots still show what they showed, while the engine writes on in place", () => {
    fc.assert(
      fc.property(scenarioArb(), fc.nat(), ({ options, commands }, seed) => {
        // The engine changes what it made since its last snapshot in place (tree nodes,
        // block records); everything a snapshot holds must be left alone from then on.
        const engine = new Engine(initialState(options));
        const snaps: HeapState[] = [];
        const atTheTime: string[] = [];
        const every = 1 + (seed % 4);
        commands.forEach((command, i) => {
          engine.execute(command);
          if (i % every === 0) {
            const snap = engine.snapshot();
            snaps.push(snap);
            atTheTime.push(fingerprint(snap));
          }
        });
        expect(fingerprint(engine.snapshot())).toBe(fingerprint(runCommands(options, commands).final));
        snaps.forEach((s, i) => expect(fingerprint(s), `snapshot ${i + 1}`).toBe(atTheTime[i]));
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});
