import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FitTree } from '../src/fitTree.js';
import type { MeasuredNode } from '../src/treeNode.js';
import { runTreeOps, treeOpsArb } from './treeOps.js';
import { propertyRuns } from '@lmm/testkit';

interface Block {
  readonly size: number;
}
const opsArb = treeOpsArb(fc.integer({ min: 1, max: 4068 }).map((size): Block => ({ size })));

/** Nodes whose `max` is not the largest size beneath them (-Infinity when empty). */
function wrongMax(tree: FitTree<Block>): string[] {
  const problems: string[] = [];
  const visit = (node: MeasuredNode<number, Block>, depth: number): number => {
    const max = node.kids === null ? Math.max(-Infinity, ...node.vals.map((b) => b.size)) : Math.max(-Infinity, ...node.kids.map((k) => visit(k as MeasuredNode<number, Block>, depth + 1)));
    if (node.max !== max) problems.push(`node at depth ${depth} keeps ${node.max}, holds ${max}`);
    return max;
  };
  visit(tree.root as MeasuredNode<number, Block>, 0);
  return problems;
}

describe('FitTree', () => {
  it('finds the first block of at least a size, as a walk in key order does, in every committed version', () => {
    fc.assert(
      fc.property(opsArb, fc.array(fc.integer({ min: 1, max: 4100 }), { minLength: 12, maxLength: 12 }), (ops, sizes) => {
        for (const { tree, expected } of runTreeOps(ops, FitTree.empty<Block>())) {
          expect(wrongMax(tree)).toEqual([]);
          const inOrder = [...expected.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
          expect([...tree.values()]).toEqual(inOrder);
          const biggest = Math.max(0, ...inOrder.map((b) => b.size));
          for (const size of [...sizes, 1, biggest, biggest + 1]) expect(tree.firstFit(size)).toBe(inOrder.find((b) => b.size >= size));
        }
      }),
      { numRuns: propertyRuns(100), endOnFailure: true },
    );
  });

  it('a loaded index keeps the largest size beneath every node, and finds first fits', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(20_000), { maxLength: 2000, size: 'max' }), fc.array(fc.integer({ min: 1, max: 4100 }), { minLength: 12, maxLength: 12 }), (keys, sizes) => {
        const sorted = [...keys].sort((a, b) => a - b);
        const blocks = sorted.map((k): Block => ({ size: 1 + ((k * 7919) % 4068) }));
        const tree = FitTree.empty<Block>({});
        tree.load(sorted, blocks);
        expect(wrongMax(tree)).toEqual([]);
        for (const size of sizes) expect(tree.firstFit(size)).toBe(blocks.find((b) => b.size >= size));
      }),
      { numRuns: propertyRuns(60) },
    );
  });

  it('an empty index fits nothing', () => {
    expect(FitTree.empty<Block>().firstFit(1)).toBeUndefined();
  });
});
