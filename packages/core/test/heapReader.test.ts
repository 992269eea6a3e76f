/**
 * The read interface `decide` uses (`HeapReader`): an engine's working copy answers it exactly
 * as the committed state of the same commands does, and `decide` gives the same facts on both.
 * And what a commit hands out holds no trace of the working copy: block, page and family
 * records have exactly their state's fields (no edit token), and the state itself is frozen.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, Engine, evolveAll, initialState, parseCommand, type BlockState, type FamilyState, type HeapReader, type HeapState, type PageState } from '@lmm/core';
import { propertyRuns, runCommands, scenarioArb } from '@lmm/testkit';

/** Everything a reader answers about the heap `of` holds (families, live ids, pages), plus lookups that must miss. */
function answers(reader: HeapReader, of: HeapState): unknown {
  const families = [...of.families.values()];
  const page = (p: PageState | undefined) => p && { family: p.family, page: p.page, count: p.count, ord: p.ord, blocks: [...p.blocks.values()].map((b) => ({ ...b })) };
  const family = (f: FamilyState | undefined) => f && { index: f.index, name: f.name, size: f.size, pageCount: f.pageCount, freeBytes: f.freeBytes, queue: [...f.queue.values()].map((b) => ({ ...b })) };
  const block = (b: BlockState | undefined) => b && { ...b };
  return {
    scalars: [reader.layout, reader.policy, reader.maxPages, reader.nextPage, reader.pagesInUse],
    named: [...families.map((f) => f.name), 'no such family', '__proto__'].map((n) => family(reader.familyNamed(n))),
    at: [-1, ...families.map((f) => f.index), families.length].map((i) => family(reader.familyAt(i))),
    live: [...of.live.keys(), 'no such id', 'constructor'].map((id) => block(reader.liveBlock(id))),
    pages: families.flatMap((f) => {
      const fam = reader.familyAt(f.index)!;
      // Every family's page ids, asked of each family: another family's page is not found.
      const ids = families.flatMap((g) => [...g.pages.keys()]);
      return [...ids, 0, of.nextPage].map((id) => page(reader.pageOf(fam, id)));
    }),
  };
}

const BLOCK_KEYS = ['family', 'page', 'offset', 'size', 'free', 'gap', 'id', 'qseq'];
const PAGE_KEYS = ['family', 'page', 'count', 'ord', 'blocks'];
const FAMILY_KEYS = ['index', 'name', 'size', 'pages', 'queue', 'walk', 'pageCount', 'blockCount', 'freeCount', 'liveBytes', 'freeBytes', 'gapBytes', 'softBytes', 'pageRequests', 'avoidableGrowth'];
const STATE_KEYS = ['layout', 'policy', 'maxPages', 'families', 'familyIndex', 'live', 'nextPage', 'pagesInUse', 'liveBytes', 'nextQseq', 'nextOrd'];
const sorted = (keys: (string | symbol)[]) => keys.map(String).sort();

/** Asserts that `state` and every record it holds have exactly their interface's own keys, and that the state is frozen. */
function expectPlainRecords(state: HeapState): void {
  expect(Object.isFrozen(state)).toBe(true);
  expect(sorted(Reflect.ownKeys(state))).toEqual([...STATE_KEYS].sort());
  const blockKeys = [...BLOCK_KEYS].sort();
  const check = (b: BlockState) => expect(sorted(Reflect.ownKeys(b)), JSON.stringify(b)).toEqual(blockKeys);
  for (const fam of state.families.values()) {
    expect(sorted(Reflect.ownKeys(fam))).toEqual([...FAMILY_KEYS].sort());
    for (const page of fam.pages.values()) {
      expect(sorted(Reflect.ownKeys(page))).toEqual([...PAGE_KEYS].sort());
      for (const b of page.blocks.values()) check(b);
    }
    for (const q of fam.queue.values()) check(q as BlockState);
    for (const w of fam.walk.values()) check(w as BlockState);
  }
  for (const b of state.live.values()) check(b);
}

describe('HeapReader', () => {
  it("an engine's working copy answers as the committed state of the same commands, and decide agrees on both", () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 80 }), fc.nat(), ({ options, commands }, seed) => {
        const run = runCommands(options, commands);
        const engine = new Engine(initialState(options));
        const every = 2 + (seed % 7);
        commands.forEach((command, i) => {
          engine.execute(command);
          // Snapshots now and then: the working copy then answers from copied pages too.
          if (i % every === every - 1) engine.snapshot();
          const committed = run.states[i]!;
          const draft = engine.peek();
          expect(answers(draft, committed), `after command ${i + 1}`).toStrictEqual(answers(committed, committed));
          const next = commands[i + 1];
          const parsed = next === undefined ? undefined : parseCommand(next);
          if (parsed !== undefined && 'op' in parsed) expect(decide(draft, parsed), `deciding command ${i + 2}`).toStrictEqual(decide(committed, parsed));
        });
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});

describe('committed records carry nothing of the working copy', () => {
  it('snapshots taken along an engine run, step states and folded states hold plain records only', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 80 }), fc.nat(), ({ options, commands }, seed) => {
        const engine = new Engine(initialState(options));
        const every = 1 + (seed % 5);
        const snaps: HeapState[] = [engine.snapshot()];
        commands.forEach((command, i) => {
          engine.execute(command);
          if (i % every === 0) snaps.push(engine.snapshot());
        });
        snaps.push(engine.snapshot());
        const run = runCommands(options, commands);
        const folded = evolveAll(initialState(options), run.facts.flat());
        for (const s of [...snaps, run.final, folded]) expectPlainRecords(s);
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});
