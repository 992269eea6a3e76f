/**
 * The state codec: a decoded state is the state that was encoded, in everything it holds and
 * in how it behaves from then on; the engine's read-only view encodes as its snapshot does;
 * bytes that are not an encoding are refused with a RangeError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants, decodeState, dumpJson, encodeState, Engine, initialState, LAYOUTS, POLICIES, statsOf, step, type HeapState } from '@lmm/core';
import { fingerprint, runCommands, scenarioArb } from '@lmm/testkit';

/** What `fingerprint` leaves out: queue stamps, page ordinals, the walk index, every counter, the policy. */
function stamps(state: HeapState): string {
  const fams = [...state.families.values()].map((f) => [
    f.name,
    [...f.queue.keys()],
    [...f.walk.keys()],
    [...f.pages.values()].map((p) => [p.page, p.ord]),
    f.pageCount,
    f.blockCount,
    f.freeCount,
    f.liveBytes,
    f.freeBytes,
    f.gapBytes,
    f.softBytes,
    f.pageRequests,
    f.avoidableGrowth,
  ]);
  return JSON.stringify({ fams, nextQseq: state.nextQseq, nextOrd: state.nextOrd, nextPage: state.nextPage, policy: state.policy, families: [...state.familyIndex.entries()] });
}

function expectSame(decoded: HeapState, original: HeapState): void {
  expect(dumpJson(decoded)).toBe(dumpJson(original));
  expect(statsOf(decoded)).toStrictEqual(statsOf(original));
  expect(fingerprint(decoded)).toBe(fingerprint(original));
  expect(stamps(decoded)).toBe(stamps(original));
}

describe('encodeState / decodeState', () => {
  it('a decoded state equals the state encoded, and the commands that follow give the same facts and states from both', () => {
    fc.assert(
      fc.property(scenarioArb({ minLength: 1 }), fc.nat(), ({ options, commands }, cut) => {
        const run = runCommands(options, commands);
        const at = cut % (commands.length + 1);
        const original = at === 0 ? run.initial : run.states[at - 1]!;
        const decoded = decodeState(encodeState(original));
        expectSame(decoded, original);
        expect(checkInvariants(decoded)).toEqual([]);
        let a = original;
        let b = decoded;
        for (let i = at; i < commands.length; i++) {
          const sa = step(a, commands[i]);
          const sb = step(b, commands[i]);
          expect(sb.facts, `command ${i + 1}`).toStrictEqual(sa.facts);
          a = sa.state;
          b = sb.state;
        }
        expectSame(b, a);
      }),
      { numRuns: 200 },
    );
  });

  it('a state after a policy switch keeps the new policy and its walk index', () => {
    fc.assert(
      fc.property(scenarioArb({ minLength: 2 }), fc.nat(), fc.constantFrom(...POLICIES), ({ options, commands }, cut, to) => {
        const engine = new Engine(initialState(options));
        const at = cut % commands.length;
        commands.forEach((c, i) => {
          if (i === at) engine.setPolicy(to);
          engine.execute(c);
        });
        const state = engine.snapshot();
        const decoded = decodeState(encodeState(state));
        expectSame(decoded, state);
        expect(decoded.policy).toBe(to);
      }),
      { numRuns: 100 },
    );
  });

  it("an engine's read-only view encodes to the same bytes as its snapshot", () => {
    fc.assert(
      fc.property(scenarioArb(), ({ options, commands }) => {
        const engine = new Engine(initialState(options));
        for (const c of commands) engine.execute(c);
        const view = encodeState(engine.peek());
        expect(encodeState(engine.snapshot())).toStrictEqual(view);
      }),
      { numRuns: 100 },
    );
  });

  it('ids of any code units round-trip: non-ASCII, astral, lone surrogates, prefixes of each other', () => {
    const ids = ['a', 'ab', 'abc', 'é', 'éé', '😀', '😀x', '\ud800', '\udfff\ud800', 'x'.repeat(300), 'x'.repeat(299) + '\u0100'];
    let state = initialState({ layout: LAYOUTS.seed });
    state = step(state, { op: 'register', family: 'f', size: 8 }).state;
    for (const id of ids) state = step(state, { op: 'alloc', id, family: 'f' }).state;
    const decoded = decodeState(encodeState(state));
    expectSame(decoded, state);
    expect([...decoded.live.keys()]).toEqual([...ids].sort());
  });

  it('a family named twice is refused, not decoded into a state missing one', () => {
    let state = initialState({ layout: LAYOUTS.seed });
    state = step(state, { op: 'register', family: 'fa', size: 8 }).state;
    state = step(state, { op: 'register', family: 'fb', size: 16 }).state;
    const bytes = encodeState(state);
    const second = Buffer.from(bytes).lastIndexOf('fb', undefined, 'latin1');
    expect(second).toBeGreaterThan(0);
    bytes[second + 1] = 'a'.charCodeAt(0);
    expect(() => decodeState(bytes)).toThrow(new RangeError('decodeState: family fa is named twice'));
  });

  it('bytes cut short, or with a byte changed, are refused with a RangeError or decode to some state: never another error, never a hang', () => {
    fc.assert(
      fc.property(scenarioArb({ minLength: 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), ({ options, commands }, where, xor, cutShort) => {
        const bytes = encodeState(runCommands(options, commands).final);
        const i = where % bytes.length;
        const bad = cutShort ? bytes.slice(0, i) : bytes.map((b, k) => (k === i ? b ^ xor : b));
        let state: HeapState;
        try {
          state = decodeState(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
          return;
        }
        expect(() => encodeState(state)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
