/**
 * SPEC §2 invariants 1–8 after every command of random scenarios, for every policy, on
 * named and custom layouts, with and without a page limit — and proof (coverage counters)
 * that the scenarios reach every path of SPEC §1 and every rejection code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants, Engine, initialState, POLICIES, REJECTION_CODES, step, toDump, type Fact, type HeapState, type Policy } from '@lmm/core';
import { Coverage, fingerprint, liveIds, propertyRuns, scenarioArb } from '@lmm/testkit';
import { dumpIds, dumpPages, dumpProblems } from '@lmm/testkit';

const RUNS = 100;

/** Paths every policy's runs must reach (`commandCategories`), or the generator has regressed. */
const REQUIRED = [
  'frag:none',
  'frag:hard',
  'frag:soft',
  'frag:large',
  'request:page',
  'request:large',
  'merge:next',
  'merge:prev',
  'merge:both',
  'release:page',
  'release:large',
  'realloc',
  'realloc:to',
  'realloc:same',
  'realloc:large',
  'oom:alloc',
  'oom:large',
  'oom:realloc',
  ...REJECTION_CODES.map((c) => `reject:${c}`),
];

/** Checks one command's step; returns nothing, throws (via expect) on the first broken invariant. */
function checkStep(before: HeapState, after: HeapState, facts: readonly Fact[], ledger: { requested: number; released: number; nextPage: number }, index: number): void {
  const where = `command ${index + 1}`;
  expect(checkInvariants(after), where).toEqual([]);
  const dump = toDump(after);
  expect(dumpProblems(dump), where).toEqual([]);
  const rejected = facts.filter((f) => f.type === 'Rejected');
  if (rejected.length > 0) {
    // Invariant 8: one Rejected fact and nothing else, and the state is as it was.
    expect(facts, where).toHaveLength(1);
    expect(fingerprint(after), where).toBe(fingerprint(before));
    return;
  }
  expect(facts.length, where).toBeGreaterThan(0);
  for (const f of facts) {
    if (f.type === 'PageRequest') {
      expect(f.page, where).toBe(ledger.nextPage);
      ledger.nextPage += f.count;
      ledger.requested += f.count;
    } else if (f.type === 'PageRelease') {
      ledger.released += f.count;
    }
  }
  // Invariant 7: pages in use = Σ count = requested − released; and never above the limit.
  expect(after.pagesInUse, where).toBe(ledger.requested - ledger.released);
  expect(dumpPages(dump), where).toBe(after.pagesInUse);
  expect(after.nextPage, where).toBe(ledger.nextPage);
  if (after.maxPages !== null) expect(after.pagesInUse, where).toBeLessThanOrEqual(after.maxPages);
  // Invariant 6: live ids ↔ allocated blocks.
  expect(liveIds(after).sort(), where).toEqual(dumpIds(dump));
}

describe.each(POLICIES)('invariants after every command (%s)', (policy: Policy) => {
  it('hold for random scenarios, and the scenarios reach every path and rejection code', () => {
    const coverage = new Coverage();
    fc.assert(
      fc.property(scenarioArb({ policy: fc.constant(policy) }), ({ options, commands }) => {
        const initial = initialState(options);
        expect(checkInvariants(initial)).toEqual([]);
        const ledger = { requested: 0, released: 0, nextPage: 1 };
        const states: HeapState[] = [];
        const allFacts: Fact[][] = [];
        let state = initial;
        commands.forEach((command, i) => {
          const { state: next, facts } = step(state, command);
          checkStep(state, next, facts, ledger, i);
          states.push(next);
          allFacts.push([...facts]);
          state = next;
        });
        coverage.addRun(initial, commands, allFacts, states);
      }),
      { numRuns: RUNS },
    );
    if (process.env.LMM_SHOW_COVERAGE) console.log(`${policy} (${coverage.runCount} runs)\n  ${coverage.table().join('\n  ')}`);
    expect(coverage.missing(REQUIRED), `paths no run of ${policy} reached`).toEqual([]);
  });
});

describe('Engine (batch runner)', () => {
  it('gives the same facts and states as step, and its snapshots stay put while it runs on', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }), ({ options, commands }, snapAt) => {
        const engine = new Engine(initialState(options));
        const snapshots: { state: HeapState; print: string }[] = [];
        let state = initialState(options);
        commands.forEach((command, i) => {
          const expected = step(state, command);
          state = expected.state;
          expect(engine.execute(command), `command ${i + 1}`).toStrictEqual(expected.facts);
          expect(fingerprint(engine.peek()), `command ${i + 1}`).toBe(fingerprint(state));
          if (snapAt[i % snapAt.length]) {
            const snap = engine.snapshot();
            snapshots.push({ state: snap, print: fingerprint(snap) });
          }
        });
        expect(fingerprint(engine.snapshot())).toBe(fingerprint(state));
        for (const { state: snap, print } of snapshots) {
          expect(fingerprint(snap)).toBe(print);
          expect(checkInvariants(snap)).toEqual([]);
        }
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});
