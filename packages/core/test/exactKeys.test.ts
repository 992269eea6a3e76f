/**
 * Every tree key of the engine is exact in every state SPEC allows: page ids and queue stamps
 * grow without bound (up to 2^53), and the engine's choices must not depend on how far they
 * have grown. Stamps and page ordinals are renumbered when they reach `ORDINAL_LIMIT`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants, Engine, heapState, initialState, ORDINAL_LIMIT, POLICIES, step, toDump, type Fact, type HeapFields, type HeapState, type StateDump } from '@lmm/core';
import { scenarioArb } from '@lmm/testkit';

/** The fields of a state. */
function fieldsOf(s: HeapState): HeapFields {
  const { layout, policy, maxPages, families, familyIndex, live, nextPage, pagesInUse, liveBytes, nextQseq, nextOrd } = s;
  return { layout, policy, maxPages, families, familyIndex, live, nextPage, pagesInUse, liveBytes, nextQseq, nextOrd };
}

/** `fact` with its page ids moved up by `shift`. */
function shifted(fact: Fact, shift: number): Fact {
  return fact.type === 'Registered' || fact.type === 'Rejected' ? fact : { ...fact, page: fact.page + shift };
}

/** `dump` with its page ids moved up by `shift`. */
function shiftedDump(dump: StateDump, shift: number): StateDump {
  return {
    ...dump,
    families: dump.families.map((f) => ({
      ...f,
      pages: f.pages.map((p) => ({ ...p, page: p.page + shift })),
      queue: f.queue.map((q) => ({ ...q, page: q.page + shift })),
    })),
  };
}

describe('exact keys', () => {
  // 2049 large runs of 2^23 pages each take the page ids past 2^34; then the first fit among
  // two free 1-byte blocks at offsets 3 and 5 of one page must be the one at 3 (SPEC §1).
  const commands: unknown[] = [{ op: 'register', family: 'f', size: 1 }];
  for (let i = 0; i < 2049; i++) commands.push({ op: 'alloc', id: 'big', family: 'f', units: 2 ** 31 }, { op: 'free', id: 'big' });
  for (let i = 0; i < 7; i++) commands.push({ op: 'alloc', id: `s${i}`, family: 'f' });
  commands.push({ op: 'free', id: 's3' }, { op: 'free', id: 's5' }, { op: 'alloc', id: 't1', family: 'f' });

  it.each(['first-fit', 'address-first-fit'] as const)('%s picks the first block in order once page ids pass 2^34', (policy) => {
    const engine = new Engine(initialState({ layout: { pageSize: 256, pageHeaderSize: 0, metaSize: 0 }, policy }));
    let last: Fact[] = [];
    for (const c of commands) last = engine.execute(c);
    const state = engine.snapshot();
    expect(state.nextPage).toBeGreaterThan(2 ** 34);
    expect(last).toMatchObject([{ type: 'Allocated', id: 't1', offset: 3 }]);
    expect(checkInvariants(state)).toEqual([]);
  });

  it.each(POLICIES)('%s: runs from page ids near 2^52 and stamps and ordinals near their limit give the same facts and states, page ids shifted', (policy) => {
    // Runs in which stamps, and page ordinals, were renumbered: the property must reach both.
    const renumbered = { stamps: 0, pages: 0 };
    fc.assert(
      fc.property(
        scenarioArb({ policy: fc.constant(policy), minLength: 40 }),
        fc.integer({ min: 1, max: 2 ** 52 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        ({ options, commands }, firstPage, stampsLeft, ordsLeft, useEngine) => {
          const shift = firstPage - 1;
          let plain: HeapState = initialState(options);
          let far: HeapState = heapState({ ...fieldsOf(initialState(options)), nextPage: firstPage, nextQseq: ORDINAL_LIMIT - stampsLeft, nextOrd: ORDINAL_LIMIT - ordsLeft });
          const engine = new Engine(far);
          commands.forEach((command, i) => {
            const where = `command ${i + 1}: ${JSON.stringify(command)}`;
            const expected = step(plain, command);
            plain = expected.state;
            let facts: readonly Fact[];
            if (useEngine) {
              facts = engine.execute(command);
              far = engine.snapshot();
            } else {
              ({ facts, state: far } = step(far, command));
            }
            expect(facts, where).toStrictEqual(expected.facts.map((f) => shifted(f, shift)));
            expect(toDump(far), where).toStrictEqual(shiftedDump(toDump(plain), shift));
            expect(checkInvariants(far), where).toEqual([]);
          });
          if (far.nextQseq < ORDINAL_LIMIT - stampsLeft) renumbered.stamps++;
          if (far.nextOrd < ORDINAL_LIMIT - ordsLeft) renumbered.pages++;
        },
      ),
      { numRuns: 25 },
    );
    expect(renumbered.stamps).toBeGreaterThan(3);
    expect(renumbered.pages).toBeGreaterThan(3);
  });
});
