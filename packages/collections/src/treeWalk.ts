import type { TreeNode } from './treeNode.js';

/** What a `TreeWalk` yields: [key, value] pairs, keys or values. */
export const ENTRIES = 0;
export const KEYS = 1;
export const VALUES = 2;

/**
 * Entries of a tree in key order (`dir` 1) or reverse (`dir` −1), from `from` (inclusive) when
 * given, as pairs, keys or values. An iterator object rather than a generator, and values and
 * keys without a pair each: walking is the whole of first fit's search and of a state dump.
 */
export class TreeWalk<K extends number | string, V, T> implements IterableIterator<T> {
  /** The path from the root to the current leaf, with the index taken at each node. */
  private nodes: TreeNode<K, V>[] = [];
  private idx: number[] = [];

  constructor(
    root: TreeNode<K, V>,
    from: K | undefined,
    private readonly dir: 1 | -1,
    private readonly kind: number,
  ) {
    // One descent towards `from`: in a branch the child whose range holds it, in the leaf the
    // first entry at or above it (the last at or below, walking backwards). An index past the
    // leaf's ends makes `next` go on to the neighbouring leaf.
    let node = root;
    for (;;) {
      let i: number;
      if (from === undefined) i = dir > 0 ? 0 : (node.kids ?? node.keys).length - 1;
      else {
        // How many keys are ≤ from.
        let lo = 0;
        let hi = node.keys.length - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (node.keys[mid]! <= from) lo = mid + 1;
          else hi = mid - 1;
        }
        if (node.kids !== null) i = Math.max(0, lo - 1);
        else i = dir < 0 || (lo > 0 && node.keys[lo - 1] === from) ? lo - 1 : lo;
      }
      this.nodes.push(node);
      this.idx.push(i);
      if (node.kids === null) break;
      node = node.kids[i]!;
    }
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<T> {
    const nodes = this.nodes;
    const idx = this.idx;
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const leaf = nodes[top]!;
      const i = idx[top]!;
      if (i >= 0 && i < leaf.keys.length) {
        idx[top] = i + this.dir;
        const value = this.kind === VALUES ? leaf.vals[i] : this.kind === KEYS ? leaf.keys[i] : [leaf.keys[i], leaf.vals[i]];
        return { value: value as T, done: false };
      }
      this.nextLeaf();
    }
    return { value: undefined, done: true };
  }

  /** Leaves the used-up leaf for the next one in walk order (or empties the path at the end). */
  private nextLeaf(): void {
    const nodes = this.nodes;
    const idx = this.idx;
    const dir = this.dir;
    nodes.pop();
    idx.pop();
    while (nodes.length > 0) {
      const top = nodes[nodes.length - 1]!;
      const next = idx[idx.length - 1]! + dir;
      if (next < 0 || next >= top.kids!.length) {
        nodes.pop();
        idx.pop();
        continue;
      }
      idx[idx.length - 1] = next;
      let n = top.kids![next]!;
      for (;;) {
        nodes.push(n);
        idx.push(dir > 0 ? 0 : (n.kids ?? n.keys).length - 1);
        if (n.kids === null) return;
        n = n.kids[dir > 0 ? 0 : n.kids.length - 1]!;
      }
    }
  }
}
