/**
 * The strongest check of SPEC §1: a naive reference model (./naiveModel, plain arrays and
 * linear scans written from the spec's text) runs the same random commands as the core;
 * both must produce exactly the same facts and the same state dump after every command.
 * The core's statistics are checked against ones computed from the dump (SPEC §3).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialState, LAYOUTS, POLICIES, statsOf, step, toDump, type Fact, type Policy, type StateDump, type Stats } from '@lmm/core';
import { customLayoutArb, liveIds, propertyRuns, scenarioArb } from '@lmm/testkit';
import { NaiveHeap, type ModelFact } from '@lmm/testkit';

/** A core fact as the model writes it: Rejected without its (free-text) message, which must not be empty. */
function comparable(fact: Fact): ModelFact {
  if (fact.type !== 'Rejected') return fact;
  expect(typeof fact.message === 'string' && fact.message.length > 0).toBe(true);
  return { type: 'Rejected', command: fact.command, code: fact.code };
}

/** The statistics of SPEC §3 computed from a dump, naively. */
function statsFromDump(dump: StateDump, model: NaiveHeap): { total: Stats; families: (Stats & { name: string; size: number })[] } {
  const { pageSize, metaSize } = dump.layout;
  const of = (fams: StateDump['families']): Stats => {
    const counted = model.families.filter((f) => fams.some((g) => g.name === f.name));
    let pages = 0, tbc = 0, fbc = 0, liveBytes = 0, freeBytes = 0, hard = 0, soft = 0, largestFree = 0;
    for (const fam of fams) {
      for (const page of fam.pages) {
        pages += page.count;
        for (const b of page.blocks) {
          tbc++;
          if (b.free) {
            fbc++;
            freeBytes += b.size;
            largestFree = Math.max(largestFree, b.size);
            if (b.size < fam.size) soft += b.size;
          } else {
            liveBytes += b.size;
            hard += b.gap;
          }
        }
      }
    }
    const heapBytes = pages * pageSize;
    return {
      pages,
      heapBytes,
      tbc,
      fbc,
      obc: tbc - fbc,
      liveBytes,
      appMemUsage: liveBytes + (tbc - fbc) * metaSize,
      freeBytes,
      hardFragBytes: hard,
      softFragBytes: soft,
      largestFree,
      externalFrag: freeBytes === 0 ? 0 : 1 - largestFree / freeBytes,
      utilization: heapBytes === 0 ? 0 : liveBytes / heapBytes,
      pageRequests: counted.reduce((n, f) => n + f.pageRequests, 0),
      avoidableGrowth: counted.reduce((n, f) => n + f.avoidableGrowth, 0),
    };
  };
  return { total: of(dump.families), families: dump.families.map((f) => ({ name: f.name, size: f.size, ...of([f]) })) };
}

function compareWithModel(options: { layout: StateDump['layout']; policy: Policy; maxPages: number | null }, commands: readonly unknown[]): void {
  const model = new NaiveHeap(options.layout, options.policy, options.maxPages);
  let state = initialState(options);
  commands.forEach((command, i) => {
    const where = `command ${i + 1}: ${JSON.stringify(command)}`;
    const expected = model.run(command);
    const result = step(state, command);
    state = result.state;
    expect(result.facts.map(comparable), where).toStrictEqual(expected);
    const dump = toDump(state);
    expect(dump, where).toStrictEqual(model.dump());
    expect(liveIds(state), where).toEqual(model.liveIds());
    expect(state.pagesInUse, where).toBe(model.pagesInUse);
    expect(state.nextPage, where).toBe(model.nextPage);
    expect(statsOf(state), where).toStrictEqual(statsFromDump(dump, model));
  });
}

describe.each(POLICIES)('the core agrees with a naive model of SPEC §1 (%s)', (policy: Policy) => {
  it('on seed and lmm64', () => {
    fc.assert(
      fc.property(scenarioArb({ policy: fc.constant(policy), layout: fc.constantFrom(LAYOUTS.seed, LAYOUTS.lmm64) }), ({ options, commands }) => {
        compareWithModel(options, commands);
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it('on custom layouts (small pages, metaSize 0, maxAlloc of a few bytes)', () => {
    fc.assert(
      fc.property(scenarioArb({ policy: fc.constant(policy), layout: customLayoutArb }), ({ options, commands }) => {
        compareWithModel(options, commands);
      }),
      { numRuns: propertyRuns(50) },
    );
  });

  it('on long runs that fill and empty many pages', () => {
    fc.assert(
      fc.property(
        scenarioArb({
          policy: fc.constant(policy),
          layout: fc.constantFrom(LAYOUTS.lmm32, { pageSize: 256, pageHeaderSize: 8, metaSize: 16 }, { pageSize: 512, pageHeaderSize: 0, metaSize: 0 }),
          maxPages: fc.constant(null),
          minLength: 300,
          maxLength: 400,
        }),
        ({ options, commands }) => {
          compareWithModel(options, commands);
        },
      ),
      { numRuns: 6 },
    );
  });
});
