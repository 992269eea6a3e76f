/**
 * SmallSortedMap (every page's block map) against a plain model: a sorted array of
 * [key, value] pairs, searched linearly. Random sets and deletes (keys from a small range,
 * so they collide, and at the edges: 0, negatives, 2^53 − 1), each followed by every query
 * of the map's surface with keys below, between, at and above the stored ones; and
 * copy-on-write: a map made editable under another token is a copy, the original stays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmallSortedMap } from '../src/smallSortedMap.js';
import type { SortedMapDiffVisitor } from '../src/sortedMap.js';
import { propertyRuns } from '@lmm/testkit';

type Pair = [number, string];

/** The model: pairs sorted by key, one per key. */
class Model {
  pairs: Pair[] = [];
  set(k: number, v: string): void {
    const i = this.pairs.findIndex(([x]) => x === k);
    if (i >= 0) this.pairs = this.pairs.map((p, j): Pair => (j === i ? [k, v] : p));
    else this.pairs = [...this.pairs, [k, v] as Pair].sort((a, b) => a[0] - b[0]);
  }
  delete(k: number): boolean {
    const before = this.pairs.length;
    this.pairs = this.pairs.filter(([x]) => x !== k);
    return this.pairs.length !== before;
  }
  atOrAbove(k: number, strict: boolean): Pair | undefined {
    return this.pairs.find(([x]) => (strict ? x > k : x >= k));
  }
  atOrBelow(k: number, strict: boolean): Pair | undefined {
    return [...this.pairs].reverse().find(([x]) => (strict ? x < k : x <= k));
  }
}

const EDGE_KEYS = [0, -1, 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 33, 2 ** 33 + 1];
const keyArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -3, max: 40 }) }, { weight: 1, arbitrary: fc.constantFrom(...EDGE_KEYS) });
const opArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), key: keyArb, value: fc.string({ maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), key: keyArb }) },
);

/** Every query of the surface agrees with the model, for keys around the stored ones. */
function expectSame(map: SmallSortedMap<string>, model: Model): void {
  const pairs = model.pairs;
  expect([...map.entries()]).toEqual(pairs);
  expect([...map.entriesReversed()]).toEqual([...pairs].reverse());
  expect([...map.keys()]).toEqual(pairs.map(([k]) => k));
  expect([...map.values()]).toEqual(pairs.map(([, v]) => v));
  expect(map.size).toBe(pairs.length);
  expect(map.minKey()).toBe(pairs[0]?.[0]);
  expect(map.maxKey()).toBe(pairs.at(-1)?.[0]);
  expect(map.firstValue()).toBe(pairs[0]?.[1]);
  expect(map.nextHigherPair(undefined)).toEqual(pairs[0]);
  expect(map.nextLowerPair(undefined)).toEqual(pairs.at(-1));
  const probes = new Set<number>([...EDGE_KEYS, -4, 41]);
  for (const [k] of pairs) for (const d of [-1, 0, 1]) probes.add(k + d);
  for (const k of probes) {
    const at = pairs.find(([x]) => x === k);
    expect(map.get(k), `get ${k}`).toBe(at?.[1]);
    expect(map.has(k), `has ${k}`).toBe(at !== undefined);
    expect(map.valueAtOrAbove(k), `valueAtOrAbove ${k}`).toBe(model.atOrAbove(k, false)?.[1]);
    expect(map.valueAtOrAbove(k, true), `valueAtOrAbove ${k} strict`).toBe(model.atOrAbove(k, true)?.[1]);
    expect(map.valueAtOrBelow(k), `valueAtOrBelow ${k}`).toBe(model.atOrBelow(k, false)?.[1]);
    expect(map.valueAtOrBelow(k, true), `valueAtOrBelow ${k} strict`).toBe(model.atOrBelow(k, true)?.[1]);
    expect(map.nextHigherPair(k), `nextHigherPair ${k}`).toEqual(model.atOrAbove(k, true));
    expect(map.nextLowerPair(k), `nextLowerPair ${k}`).toEqual(model.atOrBelow(k, true));
    expect(map.getPairOrNextHigher(k), `getPairOrNextHigher ${k}`).toEqual(model.atOrAbove(k, false));
    expect(map.getPairOrNextLower(k), `getPairOrNextLower ${k}`).toEqual(model.atOrBelow(k, false));
    expect([...map.entries(k)], `entries from ${k}`).toEqual(pairs.filter(([x]) => x >= k));
    expect([...map.entriesReversed(k)], `entriesReversed from ${k}`).toEqual(pairs.filter(([x]) => x <= k).reverse());
    expect([...map.keys(k)], `keys from ${k}`).toEqual(pairs.filter(([x]) => x >= k).map(([x]) => x));
    expect([...map.values(k)], `values from ${k}`).toEqual(pairs.filter(([x]) => x >= k).map(([, v]) => v));
  }
}

describe('SmallSortedMap against a sorted array', () => {
  it('after every set and delete, every query answers as the model does', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const token = {};
        const map = SmallSortedMap.empty<string>(token);
        const model = new Model();
        expectSame(map, model);
        for (const o of ops) {
          if (o.op === 'set') {
            map.set(o.key, o.value);
            model.set(o.key, o.value);
          } else {
            expect(map.delete(o.key)).toBe(model.delete(o.key));
          }
          expectSame(map, model);
        }
      }),
      { numRuns: propertyRuns(120) },
    );
  });

  it('editable under its own token is the map itself; under another, a copy whose writes leave the original as it was', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), fc.array(opArb, { minLength: 1, maxLength: 30 }), (first, then) => {
        const mine = {};
        const map = SmallSortedMap.empty<string>(mine);
        const model = new Model();
        for (const o of first) {
          if (o.op === 'set') (map.set(o.key, o.value), model.set(o.key, o.value));
          else (map.delete(o.key), model.delete(o.key));
        }
        expect(map.editable(mine)).toBe(map);
        const before = model.pairs;
        const copy = map.editable({});
        expect(copy).not.toBe(map);
        const copyModel = new Model();
        copyModel.pairs = before;
        for (const o of then) {
          if (o.op === 'set') (copy.set(o.key, o.value), copyModel.set(o.key, o.value));
          else expect(copy.delete(o.key)).toBe(copyModel.delete(o.key));
        }
        expectSame(copy, copyModel);
        model.pairs = before;
        expectSame(map, model);
        // A map made without a token is never written in place: editable always copies.
        const frozen = SmallSortedMap.empty<string>();
        expect(frozen.editable(mine)).not.toBe(frozen);
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('diff reports keys only in one map, and keys whose values differ, in key order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), fc.array(opArb, { maxLength: 30 }), (opsA, opsB) => {
        const build = (ops: typeof opsA) => {
          const m = SmallSortedMap.empty<string>({});
          const model = new Model();
          for (const o of ops) {
            if (o.op === 'set') (m.set(o.key, o.value), model.set(o.key, o.value));
            else (m.delete(o.key), model.delete(o.key));
          }
          return { m, pairs: model.pairs };
        };
        const a = build(opsA);
        const b = build(opsB);
        const seen: string[] = [];
        const visit: SortedMapDiffVisitor<number, string> = {
          onlyA: (k, v) => seen.push(`A ${k} ${v}`),
          onlyB: (k, v) => seen.push(`B ${k} ${v}`),
          different: (k, x, y) => seen.push(`D ${k} ${x} ${y}`),
        };
        a.m.diff(b.m, visit);
        const keys = [...new Set([...a.pairs, ...b.pairs].map(([k]) => k))].sort((x, y) => x - y);
        const want = keys.flatMap((k) => {
          const x = a.pairs.find(([p]) => p === k);
          const y = b.pairs.find(([p]) => p === k);
          if (x && !y) return [`A ${k} ${x[1]}`];
          if (y && !x) return [`B ${k} ${y[1]}`];
          return x![1] === y![1] ? [] : [`D ${k} ${x![1]} ${y![1]}`];
        });
        expect(seen).toEqual(want);
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});
