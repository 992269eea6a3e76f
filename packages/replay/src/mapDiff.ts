import { diffTrees, PersistentTree, type ReadonlySortedMap, type TreeDiffVisitor } from '@lmm/core';

/**
 * What `mapDiff` reports: keys only in `a`, only in `b`, and in both with values that are not
 * identical. The same visitor as core's `diffTrees`, which `mapDiff` hands it to.
 */
export type MapDiffVisitor<K, V> = TreeDiffVisitor<K, V>;

/**
 * Reports the entries of two sorted maps that are not the same value (by identity) under the
 * same key. Two persistent trees of one class (as consecutive states of a run hold) are
 * compared by core's `diffTrees`, which skips the nodes they share: the cost is about what
 * differs, not the maps' size. Anything else (other map types, trees built apart) is walked
 * in key order with `compare`. The same map object twice costs nothing. Reports come in no
 * particular order.
 */
export function mapDiff<K, V>(a: ReadonlySortedMap<K, V>, b: ReadonlySortedMap<K, V>, compare: (x: K, y: K) => number, visit: MapDiffVisitor<K, V>): void {
  if (a === b) return;
  if (a instanceof PersistentTree && b instanceof PersistentTree && a.constructor === b.constructor) {
    diffTrees(a as PersistentTree<K & (number | string), V>, b as PersistentTree<K & (number | string), V>, visit as TreeDiffVisitor<K & (number | string), V>);
    return;
  }
  const ia = a.entries();
  const ib = b.entries();
  let ea = ia.next();
  let eb = ib.next();
  while (!ea.done || !eb.done) {
    const c = ea.done ? 1 : eb.done ? -1 : compare(ea.value[0], eb.value[0]);
    if (c < 0) {
      visit.onlyA(ea.value![0], ea.value![1]);
      ea = ia.next();
    } else if (c > 0) {
      visit.onlyB(eb.value![0], eb.value![1]);
      eb = ib.next();
    } else {
      if (!Object.is(ea.value![1], eb.value![1])) visit.different(ea.value![0], ea.value![1], eb.value![1]);
      ea = ia.next();
      eb = ib.next();
    }
  }
}
