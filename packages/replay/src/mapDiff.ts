import type { ReadonlySortedMap } from '@lmm/core';
import * as btreeModule from 'sorted-btree';
import type BTreeClass from 'sorted-btree';
import * as diffModule from 'sorted-btree/extended/diffAgainst';
import type diffAgainstFn from 'sorted-btree/extended/diffAgainst';

// sorted-btree is CommonJS with `exports.default`: Node's ESM loader hands back the exports
// object, bundlers hand back the default export. Take the function / class either way.
type Interop<T> = { default: T | { default: T } };
const unwrap = <T>(m: Interop<T>): T => {
  const d = m.default as T | { default: T };
  return typeof d === 'object' && d !== null && 'default' in d ? d.default : (d as T);
};
const BTree = unwrap(btreeModule as unknown as Interop<typeof BTreeClass>);
const diffAgainst = unwrap(diffModule as unknown as Interop<typeof diffAgainstFn>);

/** What `mapDiff` reports: keys only in `a`, only in `b`, and in both with values that are not identical. */
export interface MapDiffVisitor<K, V> {
  onlyA(key: K, value: V): void;
  onlyB(key: K, value: V): void;
  different(key: K, a: V, b: V): void;
}

/**
 * Reports the entries of two sorted maps that are not the same value (by identity) under the
 * same key. Two B+ trees of one lineage (one cloned from the other, as consecutive states of a
 * run are) are compared by sorted-btree's `diffAgainst`, which skips shared nodes: the cost is
 * about what differs, not the maps' size. Anything else (other map types, trees built apart)
 * is walked in key order with `compare`. The same map object twice costs nothing.
 * Reports come in no particular order.
 */
export function mapDiff<K, V>(a: ReadonlySortedMap<K, V>, b: ReadonlySortedMap<K, V>, compare: (x: K, y: K) => number, visit: MapDiffVisitor<K, V>): void {
  if (a === b) return;
  if (a instanceof BTree && b instanceof BTree && (a as unknown as { _compare: unknown })._compare === (b as unknown as { _compare: unknown })._compare) {
    diffAgainst(
      a as BTreeClass<K, V>,
      b as BTreeClass<K, V>,
      (k, v) => void visit.onlyA(k, v),
      (k, v) => void visit.onlyB(k, v),
      (k, va, vb) => void visit.different(k, va, vb),
    );
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
