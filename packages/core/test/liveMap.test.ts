import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashId, LiveMap } from '../src/liveMap';

type Rec = { readonly id: string | null; readonly n: number };

/** Three ids with one 30-bit FNV-1a hash (found by search over `k0`, `k1`, …; checked below). */
const SAME_HASH = ['k326748', 'k2489952', 'k2615888'];

describe('LiveMap', () => {
  it('matches a Map over random edits, with every committed version intact', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 })), { maxLength: 2000 }), (ops) => {
        let token = {};
        let map = LiveMap.empty<Rec>(token);
        const model = new Map<string, Rec>();
        const versions: [LiveMap<Rec>, Map<string, Rec>][] = [];
        ops.forEach(([add, k], i) => {
          const id = `id${k}`;
          if (add) {
            const rec = { id, n: i };
            map.set(rec);
            model.set(id, rec);
          } else expect(map.delete(id)).toBe(model.delete(id));
          if (i % 97 === 0) {
            versions.push([map, new Map(model)]);
            token = {};
            map = map.editable(token);
          }
        });
        versions.push([map, model]);
        for (const [m, expected] of versions) {
          expect(m.size).toBe(expected.size);
          expect(new Map(m.entries())).toEqual(expected);
          for (const [id, rec] of expected) expect(m.get(id)).toBe(rec);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('keeps ids that share a hash apart, in any order of arrival and removal', () => {
    const ids = SAME_HASH;
    expect(new Set(ids.map(hashId)).size).toBe(1);
    for (const order of [ids, [...ids].reverse(), [ids[1]!, ids[0]!, ids[2]!]]) {
      const map = LiveMap.empty<Rec>({});
      order.forEach((id, n) => map.set({ id, n }));
      expect(map.size).toBe(3);
      for (const id of ids) expect(map.get(id)?.id).toBe(id);
      // The same ids always iterate in the same order, whatever order they came in.
      expect([...map.keys()]).toEqual([...ids].sort());
      map.set({ id: order[0]!, n: 99 });
      expect(map.size).toBe(3);
      expect(map.get(order[0]!)?.n).toBe(99);
      expect(map.delete('absent')).toBe(false);
      expect(map.delete(order[1]!)).toBe(true);
      expect(map.delete(order[1]!)).toBe(false);
      expect(map.has(order[1]!)).toBe(false);
      expect(map.size).toBe(2);
      expect(map.delete(order[0]!)).toBe(true);
      expect([...map.keys()]).toEqual([order[2]]);
      expect(map.delete(order[2]!)).toBe(true);
      expect(map.size).toBe(0);
    }
  });

  it('a pair that shares a hash: deleting a missing one keeps the other', () => {
    const [a, b] = SAME_HASH as [string, string];
    const map = LiveMap.empty<Rec>({});
    map.set({ id: a, n: 1 });
    expect(map.get(b)).toBeUndefined();
    expect(map.delete(b)).toBe(false);
    expect(map.get(a)?.n).toBe(1);
    map.set({ id: b, n: 2 });
    const before = map;
    const after = map.editable({});
    after.delete(a);
    expect(before.get(a)?.n).toBe(1);
    expect(after.get(a)).toBeUndefined();
    expect(after.get(b)?.n).toBe(2);
    expect(before.size).toBe(2);
    expect(after.size).toBe(1);
  });
});
