import type { ReadonlySortedMap, SortedMapDiffVisitor } from './sortedMap.js';
import { TreeNode } from './treeNode.js';

/**
 * Reports the entries of two sorted maps with keys of one kind that are not the same value
 * (by `Object.is`) under the same key, walking both in key order: O(size of both).
 */
export function diffInOrder<K extends number | string, V>(a: ReadonlySortedMap<K, V>, b: ReadonlySortedMap<K, V>, visit: SortedMapDiffVisitor<K, V>): void {
  if (a === b) return;
  const ia = a.entries();
  const ib = b.entries();
  let ea = ia.next();
  let eb = ib.next();
  while (!ea.done || !eb.done) {
    if (eb.done || (!ea.done && ea.value[0] < eb.value[0])) {
      visit.onlyA(ea.value![0], ea.value![1]);
      ea = ia.next();
    } else if (ea.done || eb.value[0] < ea.value[0]) {
      visit.onlyB(eb.value[0], eb.value[1]);
      eb = ib.next();
    } else {
      if (!Object.is(ea.value[1], eb.value[1])) visit.different(ea.value[0], ea.value[1], eb.value[1]);
      ea = ia.next();
      eb = ib.next();
    }
  }
}

/**
 * Reports the entries of two persistent trees, given by their roots, that are not the same value (by `Object.is`)
 * under the same key, in key order. Subtrees the two share (as consecutive states of one run
 * share all they did not change) are skipped whole, so the cost is about what differs times
 * the trees' depth, not their size.
 */
export function diffTrees<K extends number | string, V>(a: TreeNode<K, V>, b: TreeNode<K, V>, visit: SortedMapDiffVisitor<K, V>): void {
  if (a === b) return;
  const ca = new Cursor<K, V>(a);
  const cb = new Cursor<K, V>(b);
  while (!ca.done() && !cb.done()) {
    const sa = ca.subtree();
    const sb = cb.subtree();
    if (sa !== null && sa === sb) {
      ca.advance();
      cb.advance();
      continue;
    }
    const ka = ca.minKey();
    const kb = cb.minKey();
    if (ka < kb) {
      if (sa === null) {
        visit.onlyA(ka, ca.value());
        ca.advance();
      } else ca.descend();
    } else if (kb < ka) {
      if (sb === null) {
        visit.onlyB(kb, cb.value());
        cb.advance();
      } else cb.descend();
    } else if (sa === null && sb === null) {
      const va = ca.value();
      const vb = cb.value();
      if (!Object.is(va, vb)) visit.different(ka, va, vb);
      ca.advance();
      cb.advance();
    } else {
      // Same first key, different subtrees: open the taller (both when equally tall).
      const ha = ca.height();
      const hb = cb.height();
      if (ha >= hb) ca.descend();
      if (hb >= ha) cb.descend();
    }
  }
  for (; !ca.done(); ) {
    if (ca.subtree() === null) {
      visit.onlyA(ca.minKey(), ca.value());
      ca.advance();
    } else ca.descend();
  }
  for (; !cb.done(); ) {
    if (cb.subtree() === null) {
      visit.onlyB(cb.minKey(), cb.value());
      cb.advance();
    } else cb.descend();
  }
}

/**
 * A position in a tree: a stack of (node, index) frames. The current item is a whole subtree
 * (the top frame is a branch: its child at the index) or one entry (the top frame is a leaf).
 */
class Cursor<K, V> {
  private nodes: TreeNode<K, V>[];
  private idx: number[] = [0];

  constructor(root: TreeNode<K, V>) {
    // A parent above the root makes the root itself the first item.
    this.nodes = [new TreeNode<K, V>([], [], [root], null, false)];
  }

  done(): boolean {
    return this.nodes.length === 0;
  }

  /** The current subtree, or null when the current item is an entry. */
  subtree(): TreeNode<K, V> | null {
    const top = this.nodes[this.nodes.length - 1]!;
    return top.kids === null ? null : top.kids[this.idx[this.idx.length - 1]!]!;
  }

  /** The current entry's value (the current item must be an entry). */
  value(): V {
    return this.nodes[this.nodes.length - 1]!.vals[this.idx[this.idx.length - 1]!]!;
  }

  /** The smallest key in the current item. */
  minKey(): K {
    const top = this.nodes[this.nodes.length - 1]!;
    const i = this.idx[this.idx.length - 1]!;
    if (top.kids === null) return top.keys[i]!;
    let n = top.kids[i]!;
    while (n.kids !== null) n = n.kids[0]!;
    return n.keys[0]!;
  }

  /** Levels in the current item: 0 for an entry, 1 for a leaf, more for a branch. */
  height(): number {
    let n = this.subtree();
    let h = 0;
    while (n !== null) {
      h++;
      n = n.kids === null ? null : n.kids[0]!;
    }
    return h;
  }

  /** Moves past the current item. */
  advance(): void {
    this.idx[this.idx.length - 1]!++;
    this.settle();
  }

  /** Makes the current subtree's first item current. */
  descend(): void {
    this.nodes.push(this.subtree()!);
    this.idx.push(0);
    this.settle();
  }

  /** Pops frames whose node is used up (an empty tree's root leaf, or the end of a node). */
  private settle(): void {
    while (this.nodes.length > 0) {
      const top = this.nodes[this.nodes.length - 1]!;
      const i = this.idx[this.idx.length - 1]!;
      if (i < (top.kids ?? top.keys).length) return;
      this.nodes.pop();
      this.idx.pop();
      if (this.idx.length > 0) this.idx[this.idx.length - 1]!++;
    }
  }
}
