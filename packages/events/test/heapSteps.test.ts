/**
 * The engine as streams: over random command sequences and a real trace, pages in use
 * derived from the PageRequest/PageRelease stream alone equal statsOf(state).total.pages
 * after every command; facts are numbered as a fact log is; folding the fact stream gives
 * the state stream; the streams are cold; `ofType` narrows the Fact union.
 */
import fc from 'fast-check';
import { firstValueFrom, from, type Observable, scan, toArray } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { dumpJson, Engine, evolveAll, initialState, LAYOUTS, POLICIES, statsOf, type HeapState, type LoggedFact, type PageReleaseFact, type PageRequestFact } from '@lmm/core';
import { heapFacts, heapStates, heapSteps, ofType } from '@lmm/events';
import { propertyRuns } from '@lmm/testkit';


const FAMILIES = [
  ['emp_t', 36],
  ['node', 16],
  ['big', 1000],
  ['byte', 1],
] as const;
const idArb = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
const familyArb = fc.constantFrom(...FAMILIES.map(([name]) => name));
const commandArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...FAMILIES).map(([family, size]) => ({ op: 'register', family, size })) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('alloc'), id: idArb, family: familyArb, units: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('free'), id: idArb }) },
  { weight: 2, arbitrary: fc.tuple(idArb, fc.integer({ min: 1, max: 12 }), fc.option(idArb, { nil: undefined })).map(([id, units, to]) => (to === undefined ? { op: 'realloc', id, units } : { op: 'realloc', id, units, to })) },
  { weight: 1, arbitrary: fc.constantFrom(null, 'free a', { op: 'nope' }, { op: 'alloc', id: '', family: 'node' }) },
);
const heapArb = fc
  .record({ layout: fc.constantFrom(LAYOUTS.seed, LAYOUTS.lmm64, LAYOUTS.lmm32), policy: fc.constantFrom(...POLICIES), maxPages: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }) })
  .map((o) => initialState(o));

const collect = <T>(o: Observable<T>): Promise<T[]> => firstValueFrom(o.pipe(toArray()));

/**
 * Pages in use after each of `n` commands, from the page facts alone: a running sum of
 * PageRequest and PageRelease counts, read after the last fact of each command.
 */
async function pagesFromFacts(facts$: Observable<LoggedFact>, n: number): Promise<number[]> {
  const running = await collect(
    facts$.pipe(
      ofType('PageRequest', 'PageRelease'),
      scan((acc, f) => ({ cmd: f.cmd, pages: acc.pages + (f.type === 'PageRequest' ? f.count : -f.count) }), { cmd: 0, pages: 0 }),
    ),
  );
  const out: number[] = [];
  let i = 0;
  let pages = 0;
  for (let cmd = 1; cmd <= n; cmd++) {
    while (i < running.length && running[i]!.cmd <= cmd) pages = running[i++]!.pages;
    out.push(pages);
  }
  return out;
}

describe('heapSteps / heapFacts / heapStates', () => {
  it('pages in use from the PageRequest/PageRelease stream alone equal the state’s pages after every command (random commands)', async () => {
    await fc.assert(
      fc.asyncProperty(heapArb, fc.array(commandArb, { maxLength: 120, size: 'max' }), async (initial, commands) => {
        const states = await collect(from(commands).pipe(heapStates(initial)));
        expect(states).toHaveLength(commands.length);
        const pages = await pagesFromFacts(from(commands).pipe(heapFacts(initial)), commands.length);
        expect(pages).toEqual(states.map((s) => statsOf(s).total.pages));
      }),
      { numRuns: propertyRuns(150) },
    );
  });

  it('numbers facts as a fact log does, and folding them gives every emitted state and the Engine’s end state', async () => {
    await fc.assert(
      fc.asyncProperty(heapArb, fc.array(commandArb, { maxLength: 80, size: 'max' }), async (initial, commands) => {
        const steps = await collect(from(commands).pipe(heapSteps(initial)));
        let seq = 0;
        let folded: HeapState = initial;
        steps.forEach((s, i) => {
          expect(s.cmd).toBe(i + 1);
          expect(s.command).toBe(commands[i]);
          expect(s.facts.length).toBeGreaterThan(0);
          for (const f of s.facts) {
            expect(f.seq).toBe(++seq);
            expect(f.cmd).toBe(s.cmd);
          }
          folded = evolveAll(folded, s.facts);
          expect(dumpJson(folded)).toBe(dumpJson(s.state));
        });
        const engine = new Engine(initial);
        for (const c of commands) engine.execute(c);
        expect(dumpJson(steps.at(-1)?.state ?? initial)).toBe(dumpJson(engine.snapshot()));
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('is cold: each subscription runs from the initial state with its own numbering', async () => {
    const commands = [{ op: 'register', family: 'n', size: 8 }, { op: 'alloc', id: 'x', family: 'n' }, { op: 'free', id: 'x' }];
    const facts$ = from(commands).pipe(heapFacts(initialState({ layout: LAYOUTS.seed })));
    const first = await collect(facts$);
    expect(first.map((f) => [f.seq, f.cmd, f.type])).toEqual([
      [1, 1, 'Registered'],
      [2, 2, 'PageRequest'],
      [3, 2, 'Allocated'],
      [4, 3, 'Freed'],
      [5, 3, 'PageRelease'],
    ]);
    expect(await collect(facts$)).toEqual(first);
  });
});

describe('ofType', () => {
  it('keeps only the named types and narrows the Fact union', async () => {
    const commands = [{ op: 'register', family: 'n', size: 8 }, { op: 'alloc', id: 'x', family: 'n', units: 600 }, { op: 'free', id: 'nobody' }, { op: 'free', id: 'x' }];
    const facts$ = from(commands).pipe(heapFacts(initialState({ layout: LAYOUTS.seed })));
    const pages$ = facts$.pipe(ofType('PageRequest', 'PageRelease'));
    expectTypeOf(pages$).toEqualTypeOf<Observable<(PageRequestFact & { readonly seq: number; readonly cmd: number }) | (PageReleaseFact & { readonly seq: number; readonly cmd: number })>>();
    const pages = await collect(pages$);
    // Narrowed: `count` and `page` need no cast.
    expect(pages.map((f) => [f.type, f.page, f.count])).toEqual([
      ['PageRequest', 1, 2],
      ['PageRelease', 1, 2],
    ]);
    const rejected = await collect(facts$.pipe(ofType('Rejected')));
    expect(rejected.map((f) => f.code)).toEqual(['E_NOT_ALLOCATED']);
    // @ts-expect-error — not a fact type
    facts$.pipe(ofType('PageFault'));
  });
});
