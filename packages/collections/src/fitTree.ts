import { searchNumbers } from './numberTree.js';
import { PersistentTree } from './persistentTree.js';
import type { FirstFitIndex } from './sortedMap.js';
import { MeasuredNode, type EditToken, type TreeNode } from './treeNode.js';

const sizeOf = (value: { readonly size: number }): number => value.size;

/**
 * The first-fit index of a family: its free blocks keyed by walk order (`walkKey`), in a
 * number-keyed tree whose every node also keeps the largest block size beneath it. `firstFit`
 * then goes down the leftmost branch that holds a block big enough: O(log n), where a walk
 * over the free blocks would be O(n). Persistent like every tree here.
 */
export class FitTree<V extends { readonly size: number }> extends PersistentTree<number, V> implements FirstFitIndex<V> {
  protected constructor(root: TreeNode<number, V>, count: number, owner: EditToken | null) {
    super(root, count, owner);
    this.measure = sizeOf;
  }

  /** An empty index, editable under `token` when given. */
  static empty<V extends { readonly size: number }>(token: EditToken | null = null): FitTree<V> {
    return new FitTree<V>(new MeasuredNode<number, V>([], [], null, token, false), 0, token);
  }

  /** The first value in key order whose `size` is at least `size`, or undefined. O(log n). */
  firstFit(size: number): V | undefined {
    let node = this.root as MeasuredNode<number, V>;
    if (node.max < size) return undefined;
    while (node.kids !== null) {
      const kids = node.kids as MeasuredNode<number, V>[];
      let k = 0;
      while (kids[k]!.max < size) k++;
      node = kids[k]!;
    }
    for (let k = 0; k < node.vals.length; k++) if (node.vals[k]!.size >= size) return node.vals[k];
    return undefined;
  }

  protected override node(keys: number[], vals: V[], kids: TreeNode<number, V>[] | null, owner: EditToken | null, sharedKeys: boolean): TreeNode<number, V> {
    return new MeasuredNode<number, V>(keys, vals, kids, owner, sharedKeys);
  }

  protected search(keys: number[], key: number): number {
    return searchNumbers(keys, key);
  }

  protected make(root: TreeNode<number, V>, count: number, owner: EditToken | null): this {
    return new FitTree<V>(root, count, owner) as this;
  }
}
