/**
 * The read side of a persistent sorted map, as the engine's state exposes its collections.
 * Backed by persistent B+ trees (`PersistentTree`) and, for one page's blocks, small sorted
 * arrays; old states share structure with new ones and are never written after a step
 * returns, so these views stay valid for as long as they are held.
 */
export interface ReadonlySortedMap<K, V> {
  /** How many entries. O(1). */
  readonly size: number;
  /** The value at `key`, or undefined. O(log n). */
  get(key: K): V | undefined;
  /** True when `key` has an entry. O(log n). */
  has(key: K): boolean;
  /** Entries in key order, from `lowestKey` when given. */
  entries(lowestKey?: K): IterableIterator<[K, V]>;
  /** Entries in reverse key order, from `highestKey` when given. */
  entriesReversed(highestKey?: K): IterableIterator<[K, V]>;
  /** Keys in order. */
  keys(firstKey?: K): IterableIterator<K>;
  /** Values in key order. */
  values(firstKey?: K): IterableIterator<V>;
  /** The smallest key, or undefined when empty. */
  minKey(): K | undefined;
  /** The largest key, or undefined when empty. */
  maxKey(): K | undefined;
  /** The smallest key's value, or undefined when empty; allocates nothing. */
  firstValue(): V | undefined;
  /** The value of the first entry with a key ≥ `key` (`strict`: > `key`), or undefined; allocates nothing. */
  valueAtOrAbove(key: K, strict?: boolean): V | undefined;
  /** The value of the last entry with a key ≤ `key` (`strict`: < `key`), or undefined; allocates nothing. */
  valueAtOrBelow(key: K, strict?: boolean): V | undefined;
  /** The entry with the smallest key strictly above `key`. */
  nextHigherPair(key: K | undefined): [K, V] | undefined;
  /** The entry with the largest key strictly below `key`. */
  nextLowerPair(key: K | undefined): [K, V] | undefined;
  /** The entry at `key`, or else the next one above it. */
  getPairOrNextHigher(key: K): [K, V] | undefined;
  /** The entry at `key`, or else the next one below it. */
  getPairOrNextLower(key: K): [K, V] | undefined;
  /**
   * Reports, in no particular order, the entries of this map and `other` that are not the same
   * value (by `Object.is`) under the same key. Two versions of one persistent tree skip the
   * nodes they share, so the cost is about what differs; other pairs are walked in key order.
   * The same map twice costs nothing.
   */
  diff(other: ReadonlySortedMap<K, V>, visit: SortedMapDiffVisitor<K, V>): void;
}

/** What `ReadonlySortedMap.diff` reports: keys only in `a` (this map), only in `b` (the other), and in both with values that are not identical. */
export interface SortedMapDiffVisitor<K, V> {
  onlyA(key: K, value: V): void;
  onlyB(key: K, value: V): void;
  different(key: K, a: V, b: V): void;
}

/**
 * A family's first-fit index (`FamilyState.walk`): free blocks in the walk order of a first-fit
 * policy (pages newest first or by address, then by offset), which also finds the first block
 * of at least a given size.
 */
export interface FirstFitIndex<V extends { readonly size: number }> extends ReadonlySortedMap<number, V> {
  /** The first block in walk order of at least `size` bytes, or undefined. O(log n). */
  firstFit(size: number): V | undefined;
}
