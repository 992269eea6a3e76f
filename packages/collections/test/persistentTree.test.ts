import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberTree } from '../src/numberTree.js';
import type { PersistentTree } from '../src/persistentTree.js';
import { StringTree } from '../src/stringTree.js';
import type { TreeNode } from '../src/treeNode.js';
import { runTreeOps, treeOpsArb, type TreeOp } from './treeOps.js';
import { propertyRuns } from '@lmm/testkit';

type Op = TreeOp<number>;
const opsArb = treeOpsArb(fc.integer());

/** Runs ops from `start` (default: an empty tree); returns every committed version with its expected contents. */
function run(ops: Op[], start = NumberTree.empty<number>()) {
  return runTreeOps(ops, start);
}

/** Node sizes, key order, separator bounds and equal leaf depth, as a list of problems (empty when sound); and the entries in order. */
function shapeOf<K extends number | string, V>(tree: PersistentTree<K, V>): { problems: string[]; entries: [K, V][] } {
  const entries: [K, V][] = [];
  const problems: string[] = [];
  const leafDepths = new Set<number>();
  const visit = (node: TreeNode<K, V>, depth: number, isRoot: boolean, lo: K | undefined, hi: K | undefined) => {
    const n = (node.kids ?? node.keys).length;
    if ((!isRoot && n < 8) || n > 32) problems.push(`node of ${n} at depth ${depth}`);
    if (node.kids === null) {
      leafDepths.add(depth);
      if (node.vals.length !== node.keys.length) problems.push('leaf keys and values differ in length');
      node.keys.forEach((k, i) => {
        if ((lo !== undefined && k < lo) || (hi !== undefined && k >= hi)) problems.push(`key ${k} outside [${lo}, ${hi})`);
        entries.push([k, node.vals[i]!]);
      });
      return;
    }
    if (node.keys.length !== node.kids.length) problems.push('branch keys and kids differ in length');
    if (isRoot && node.kids.length < 2) problems.push('root branch with one child');
    node.kids.forEach((kid, i) => visit(kid, depth + 1, false, node.keys[i], i + 1 < node.kids!.length ? node.keys[i + 1] : hi));
  };
  visit(tree.root, 0, true, undefined, undefined);
  if (leafDepths.size > 1) problems.push('leaves at different depths');
  for (let i = 1; i < entries.length; i++) if (!(entries[i - 1]![0] < entries[i]![0])) problems.push(`keys out of order at ${i}`);
  if (entries.length !== tree.size) problems.push(`size ${tree.size} for ${entries.length} entries`);
  return { problems, entries };
}

describe('NumberTree', () => {
  it('matches a Map after any edits, and every committed version keeps its contents', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        for (const { tree, expected } of run(ops)) {
          const { problems, entries } = shapeOf(tree);
          expect(problems).toEqual([]);
          expect(entries).toEqual([...expected.entries()].sort((a, b) => a[0] - b[0]));
          const wrong = [...expected].filter(([k, v]) => tree.get(k) !== v || !tree.has(k));
          expect(wrong).toEqual([]);
          expect(tree.has(-1)).toBe(false);
        }
      }),
      { numRuns: propertyRuns(100), endOnFailure: true },
    );
  });

  it('answers neighbour queries like a sorted array', () => {
    fc.assert(
      fc.property(opsArb, fc.array(fc.integer({ min: -2, max: 3002 }), { minLength: 20, maxLength: 20 }), (ops, probes) => {
        const { tree } = run(ops).at(-1)!;
        const keys = [...tree.keys()];
        for (const p of probes) {
          const ge = keys.find((k) => k >= p);
          const gt = keys.find((k) => k > p);
          const le = keys.filter((k) => k <= p).at(-1);
          const lt = keys.filter((k) => k < p).at(-1);
          expect(tree.getPairOrNextHigher(p)?.[0]).toBe(ge);
          expect(tree.nextHigherPair(p)?.[0]).toBe(gt);
          expect(tree.getPairOrNextLower(p)?.[0]).toBe(le);
          expect(tree.nextLowerPair(p)?.[0]).toBe(lt);
          expect(tree.valueAtOrAbove(p)).toBe(ge === undefined ? undefined : tree.get(ge));
          expect(tree.valueAtOrAbove(p, true)).toBe(gt === undefined ? undefined : tree.get(gt));
          expect(tree.valueAtOrBelow(p)).toBe(le === undefined ? undefined : tree.get(le));
          expect(tree.valueAtOrBelow(p, true)).toBe(lt === undefined ? undefined : tree.get(lt));
          expect([...tree.keys(p)]).toEqual(keys.filter((k) => k >= p));
          expect([...tree.entriesReversed(p)].map(([k]) => k)).toEqual(keys.filter((k) => k <= p).reverse());
        }
        expect(tree.minKey()).toBe(keys[0]);
        expect(tree.maxKey()).toBe(keys.at(-1));
        expect(tree.firstValue()).toBe(keys.length === 0 ? undefined : tree.get(keys[0]!));
        expect(tree.nextHigherPair(undefined)?.[0]).toBe(keys[0]);
        expect(tree.nextLowerPair(undefined)?.[0]).toBe(keys.at(-1));
      }),
      { numRuns: propertyRuns(60), endOnFailure: true },
    );
  });

  it('diffTrees reports exactly what differs between two versions, shared or not', () => {
    fc.assert(
      fc.property(opsArb, opsArb, fc.boolean(), (before, after, apart) => {
        const a = run(before).at(-1)!.tree;
        // Either a later version of the same lineage (sharing nodes) or a tree built apart.
        const b = apart ? run(after).at(-1)!.tree : run(after, a).at(-1)!.tree;
        const seen: string[] = [];
        a.diff(b, {
          onlyA: (k, v) => seen.push(`-${k}:${v}`),
          onlyB: (k, v) => seen.push(`+${k}:${v}`),
          different: (k, x, y) => seen.push(`~${k}:${x}>${y}`),
        });
        const expected: string[] = [];
        const ma = new Map(a.entries());
        const mb = new Map(b.entries());
        for (const k of [...new Set([...ma.keys(), ...mb.keys()])].sort((x, y) => x - y)) {
          if (!mb.has(k)) expected.push(`-${k}:${ma.get(k)}`);
          else if (!ma.has(k)) expected.push(`+${k}:${mb.get(k)}`);
          else if (ma.get(k) !== mb.get(k)) expected.push(`~${k}:${ma.get(k)}>${mb.get(k)}`);
        }
        expect(seen).toEqual(expected);
      }),
      { numRuns: propertyRuns(80), endOnFailure: true },
    );
  });

  it('diffTrees skips shared structure: one change in 100,000 entries visits a path, not the tree', () => {
    const token = {};
    const big = NumberTree.empty<number>(token);
    for (let i = 0; i < 100_000; i++) big.set(i, i);
    const next = big.editable({});
    next.set(50_000, -1);
    // Spy on the values of every leaf the two versions share: a diff that skips shared
    // structure never reads them.
    let reads = 0;
    const spy = (node: TreeNode<number, number>, other: TreeNode<number, number>): void => {
      if (node === other && node.kids === null) {
        node.vals = new Proxy(node.vals, { get: (arr, p, r) => (reads++, Reflect.get(arr, p, r)) });
      } else if (node.kids !== null) node.kids.forEach((kid, i) => spy(kid, other.kids![i]!));
    };
    spy(next.root, big.root);
    const seen: number[] = [];
    big.diff(next, { onlyA: () => seen.push(-1), onlyB: () => seen.push(1), different: (k) => seen.push(k) });
    expect(seen).toEqual([50_000]);
    expect(reads).toBe(0);
    // Copy-on-write: the old version is untouched, and only one root-to-leaf path was copied.
    expect(big.get(50_000)).toBe(50_000);
    expect(next.root).not.toBe(big.root);
    expect(next.root.kids!.filter((k, i) => k !== big.root.kids![i]).length).toBe(1);
  });

  it('load builds a sound tree of sorted entries, which edits on like any other', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -5000, max: 5000 }), { maxLength: 3000, size: 'max' }), opsArb, (keys, ops) => {
        const sorted = [...keys].sort((a, b) => a - b);
        const loaded = NumberTree.empty<number>({});
        loaded.load(
          sorted,
          sorted.map((k) => k * 2),
        );
        const { problems, entries } = shapeOf(loaded);
        expect(problems).toEqual([]);
        expect(entries).toEqual(sorted.map((k) => [k, k * 2]));
        for (const { tree, expected } of run(ops, loaded)) {
          const shape = shapeOf(tree);
          expect(shape.problems).toEqual([]);
          expect(shape.entries).toEqual([...expected.entries()].sort((a, b) => a[0] - b[0]));
        }
      }),
      { numRuns: propertyRuns(60), endOnFailure: true },
    );
  });

  it('load fills only an empty, writable tree', () => {
    const t = NumberTree.empty<number>({});
    t.set(1, 1);
    expect(() => t.load([2], [2])).toThrow(/empty tree/);
    expect(() => NumberTree.empty<number>().load([1], [1])).toThrow(/committed version/);
  });

  it('refuses writes on a committed version', () => {
    const t = NumberTree.empty<number>();
    expect(() => t.set(1, 1)).toThrow(/committed version/);
    expect(() => t.delete(1)).toThrow(/committed version/);
  });
});

describe('StringTree', () => {
  it('orders by UTF-16 code units and matches a Map', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 6 })), { maxLength: 1500, size: 'max' }), (ops) => {
        const tree = StringTree.empty<number>({});
        const model = new Map<string, number>();
        ops.forEach(([add, key], i) => {
          if (add) {
            tree.set(key, i);
            model.set(key, i);
          } else expect(tree.delete(key)).toBe(model.delete(key));
        });
        const { problems, entries } = shapeOf(tree);
        expect(problems).toEqual([]);
        expect(entries).toEqual([...model.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
        expect([...model].filter(([k, v]) => tree.get(k) !== v)).toEqual([]);
      }),
      { numRuns: propertyRuns(60), endOnFailure: true },
    );
  });
});
