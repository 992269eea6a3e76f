/**
 * Folding checks (evolve's own, without decide) as a property: a run's facts with one field
 * edited (testkit's mutateFacts: a number ±1 or 0, an id, family, frag or code changed) or
 * one whole command dropped either make `evolveAll` throw FoldError or fold into a state
 * that passes every SPEC §2 invariant (the core's checks and a reader's, on the dump);
 * nothing thrown but FoldError. Edits that break a command's facts apart (a fact dropped,
 * duplicated, swapped, the list cut inside a command) are the log reader's to refuse:
 * evolve checks each fact against the state, not that a command's facts are whole (replay's
 * foldFactLog does; its property is replay/test/factLogMutation.property.test.ts). Two
 * examples below pin the checks this property found missing: a Freed fact's `merged` block
 * against free neighbours (invariant 2), and an Allocated fact's empty id (invariant 6).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants, Engine, evolve, evolveAll, FoldError, initialState, LAYOUTS, toDump, type Fact, type HeapState } from '@lmm/core';
import { dumpProblems, factMutationArb, mutateFacts, propertyRuns, scenarioArb, type CmdFact } from '@lmm/testkit';

/** FoldError, or the folded state. */
function fold(start: HeapState, facts: readonly Fact[]): FoldError | HeapState {
  try {
    return evolveAll(start, facts);
  } catch (e) {
    expect(e).toBeInstanceOf(FoldError);
    return e as FoldError;
  }
}

/** The edits that keep every command's facts whole. */
const FIELD_EDITS = new Set(['number', 'text', 'cmd', 'dropCommand']);

describe('evolve refuses an edited fact list, or folds it into a sound state', () => {
  it('every edit of one field, or one command dropped', () => {
    fc.assert(
      fc.property(scenarioArb({ minLength: 3, maxLength: 60 }), factMutationArb.filter((m) => FIELD_EDITS.has(m.kind)), ({ options, commands }, mutation) => {
        const engine = new Engine(initialState(options));
        const log: CmdFact[] = commands.flatMap((c, i) => engine.execute(c).map((fact) => ({ cmd: i + 1, fact })));
        const edit = mutateFacts(log, mutation);
        const result = fold(initialState(options), edit.facts.map((f) => f.fact));
        if (result instanceof FoldError) {
          expect(result.message.length).toBeGreaterThan(0);
        } else {
          expect(checkInvariants(result)).toEqual([]);
          expect(dumpProblems(toDump(result))).toEqual([]);
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('an Allocated that would leave exactly metaSize bytes as a free block (0 data bytes) is refused', () => {
    // Seed layout (meta 28): 4068 − 4040 = 28 bytes left, which SPEC §1 makes a gap of 28.
    let s = initialState({ layout: LAYOUTS.seed });
    s = evolve(s, { type: 'Registered', family: 'a', size: 4040 });
    s = evolve(s, { type: 'PageRequest', family: 'a', page: 1, count: 1 });
    const honest: Fact = { type: 'Allocated', id: 'x', family: 'a', page: 1, offset: 0, size: 4040, units: 1, frag: 'hard', gap: 28 };
    expect(checkInvariants(evolve(s, honest))).toEqual([]);
    expect(() => evolve(s, { ...honest, gap: 0 })).toThrow(FoldError);
    expect(() => evolve(s, { ...honest, gap: 0, frag: 'none' })).toThrow(FoldError);
    expect(() => evolve(s, { ...honest, gap: 27 })).toThrow(FoldError);
  });

  // SPEC §1: an id is a non-empty string.
  it('an Allocated with an empty id is refused', () => {
    const facts: Fact[] = [
      { type: 'Registered', family: 'a', size: 100 },
      { type: 'PageRequest', family: 'a', page: 1, count: 1 },
      { type: 'Allocated', id: '', family: 'a', page: 1, offset: 0, size: 100, units: 1, frag: 'none', gap: 0 },
    ];
    expect(() => evolveAll(initialState({ layout: LAYOUTS.seed }), facts)).toThrow(FoldError);
  });

  // A fact list without an Allocated fact would leave a free block that a later Freed does not
  // merge with; evolve refuses the Freed whose merged block leaves a free neighbour.
  it('a Freed whose merged block ignores a free neighbour is refused (SPEC §2 inv. 2)', () => {
    // Seed layout, family a of 100 B: x at 0, y at 128 (its Allocated dropped), free x.
    const facts: Fact[] = [
      { type: 'Registered', family: 'a', size: 100 },
      { type: 'PageRequest', family: 'a', page: 1, count: 1 },
      { type: 'Allocated', id: 'x', family: 'a', page: 1, offset: 0, size: 100, units: 1, frag: 'none', gap: 0 },
      { type: 'Freed', id: 'x', family: 'a', page: 1, offset: 0, size: 100, merged: { offset: 0, size: 100 } },
    ];
    expect(() => evolveAll(initialState({ layout: LAYOUTS.seed }), facts)).toThrow(FoldError);
  });
});
