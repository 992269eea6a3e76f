/**
 * What-if branches (SPEC §5 `run --switch CMD:B`): the engine switches its policy in place
 * after command CMD. The branch agrees with the naive model switched at the same command, its
 * facts up to CMD are the unswitched run's, and after CMD they are those of running the rest
 * under B from the state at CMD; folding its facts and switching at CMD gives the same state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants, Engine, evolveAll, initialState, LAYOUTS, step, toDump, withPolicy, type Fact, type HeapState } from '@lmm/core';
import { fingerprint, layoutArb, policyArb, runCommands, scenarioArb } from '@lmm/testkit';
import { NaiveHeap, type ModelFact } from '@lmm/testkit';

/** A core fact as the model writes it (Rejected without its message). */
function comparable(fact: Fact): ModelFact {
  return fact.type === 'Rejected' ? { type: 'Rejected', command: fact.command, code: fact.code } : fact;
}

const switchedArb = fc.record({
  scenario: scenarioArb({ layout: fc.oneof(fc.constantFrom(LAYOUTS.seed, LAYOUTS.lmm32, { pageSize: 256, pageHeaderSize: 8, metaSize: 16 }), layoutArb), minLength: 20 }),
  to: policyArb,
  at: fc.nat(),
});

describe('switching the policy in place (run --switch)', () => {
  it('agrees with the naive model switched at the same command, and keeps every invariant', () => {
    fc.assert(
      fc.property(switchedArb, ({ scenario: { options, commands }, to, at }) => {
        const cmd = at % (commands.length + 1);
        const model = new NaiveHeap(options.layout, options.policy, options.maxPages);
        const engine = new Engine(initialState(options));
        if (cmd === 0) {
          engine.setPolicy(to);
          model.policy = to;
        }
        commands.forEach((command, i) => {
          const where = `command ${i + 1} (switch after ${cmd}): ${JSON.stringify(command)}`;
          expect(engine.execute(command).map(comparable), where).toStrictEqual(model.run(command));
          if (i + 1 === cmd) {
            engine.setPolicy(to);
            model.policy = to;
          }
          const state = engine.snapshot();
          expect(toDump(state), where).toStrictEqual(model.dump());
          expect(checkInvariants(state), where).toEqual([]);
        });
      }),
      { numRuns: 80 },
    );
  });

  it('gives the unswitched facts up to CMD, then the facts of running the rest under B from the state at CMD', () => {
    fc.assert(
      fc.property(switchedArb, ({ scenario: { options, commands }, to, at }) => {
        const cmd = at % (commands.length + 1);
        const plain = runCommands(options, commands);
        const engine = new Engine(initialState(options));
        const facts: Fact[][] = [];
        if (cmd === 0) engine.setPolicy(to);
        commands.forEach((command, i) => {
          facts.push(engine.execute(command));
          if (i + 1 === cmd) engine.setPolicy(to);
        });
        expect(facts.slice(0, cmd)).toStrictEqual(plain.facts.slice(0, cmd));
        let state: HeapState = withPolicy(cmd === 0 ? plain.initial : plain.states[cmd - 1]!, to);
        expect(state.policy).toBe(to);
        commands.slice(cmd).forEach((command, i) => {
          const r = step(state, command);
          state = r.state;
          expect(facts[cmd + i], `command ${cmd + i + 1}`).toStrictEqual(r.facts);
        });
        expect(fingerprint(engine.snapshot())).toBe(fingerprint(state));
        // The fact log alone, folded with the same switch, gives the same state (invariant 10).
        const before = evolveAll(initialState(options), facts.slice(0, cmd).flat());
        const folded = evolveAll(withPolicy(before, to), facts.slice(cmd).flat());
        expect(fingerprint(folded)).toBe(fingerprint(state));
        expect(checkInvariants(folded)).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });

  it('switching to the policy in force changes nothing, and back and forth gives the first state again', () => {
    fc.assert(
      fc.property(switchedArb, ({ scenario: { options, commands }, to }) => {
        const { final } = runCommands(options, commands);
        expect(withPolicy(final, final.policy)).toBe(final);
        const back = withPolicy(withPolicy(final, to), final.policy);
        expect(fingerprint(back)).toBe(fingerprint(final));
        expect(checkInvariants(back)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
