/**
 * `writeDump` streams the state dump of `dumpJson` byte for byte, in pieces of bounded size
 * (issue 15: `lmm run --state` at 3M live blocks built the whole dump as objects and one
 * string, raising peak memory from 614 MB to 1.4 GB).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpJson, Engine, initialState, LAYOUTS, writeDump, type HeapState } from '@lmm/core';
import { propertyRuns, scenarioArb } from '@lmm/testkit';

/** The pieces `writeDump` hands over. */
function pieces(state: HeapState): string[] {
  const out: string[] = [];
  writeDump(state, (text) => out.push(text));
  return out;
}

describe('writeDump', () => {
  it('writes exactly dumpJson after every command of random runs (every layout, policy, id and family name)', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ options, commands }) => {
        const engine = new Engine(initialState(options));
        expect(pieces(engine.peek()).join('')).toBe(dumpJson(engine.peek()));
        for (const c of commands) {
          engine.execute(c);
          expect(pieces(engine.peek()).join('')).toBe(dumpJson(engine.peek()));
        }
      }),
      { numRuns: propertyRuns(30) },
    );
  });

  it('hands a large dump over in pieces of about 64 K characters, never as one string', () => {
    // Ids that need escaping (a quote, a lone surrogate) and a free block in every page.
    const engine = new Engine(initialState({ layout: LAYOUTS.seed }));
    engine.execute({ op: 'register', family: 'n"q', size: 8 });
    for (let i = 0; i < 20_000; i++) engine.execute({ op: 'alloc', id: i % 1000 === 0 ? `"\ud800${i}` : `n${i}`, family: 'n"q' });
    for (let i = 0; i < 20_000; i += 7) engine.execute({ op: 'free', id: `n${i}` });
    const state = engine.snapshot();
    const got = pieces(state);
    const whole = dumpJson(state);
    expect(got.join('')).toBe(whole);
    expect(got.length).toBeGreaterThan(whole.length / (1 << 17));
    for (const p of got) expect(p.length).toBeLessThan((1 << 16) + 200);
    // And not in a write per block: every piece but the last holds at least 64 K characters.
    for (const p of got.slice(0, -1)) expect(p.length).toBeGreaterThanOrEqual(1 << 16);
  });
});
