import type { ReadonlySortedMap } from './sortedMap';

/**
 * A sorted map from numbers to values kept as two parallel arrays: for the blocks of one
 * page, whose count is bounded by the layout (pageSize / (metaSize + 1), 141 for `seed`),
 * never by the heap's size. Lookups are a binary search; `clone` copies the arrays (the
 * copy-on-write step), after which writes are in place. Same surface as the B+ tree used
 * for unbounded collections, so the draft treats both alike.
 */
export class SmallSortedMap<V> implements ReadonlySortedMap<number, V> {
  private constructor(
    private keysArr: number[],
    private valuesArr: V[],
  ) {}

  /** An empty map. */
  static empty<V>(): SmallSortedMap<V> {
    return new SmallSortedMap<V>([], []);
  }

  get size(): number {
    return this.keysArr.length;
  }

  /** Index of `key`, or -(insertion point) - 1 when absent. */
  private find(key: number): number {
    const keys = this.keysArr;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  private pair(i: number): [number, V] | undefined {
    return i >= 0 && i < this.keysArr.length ? [this.keysArr[i]!, this.valuesArr[i]!] : undefined;
  }

  get(key: number): V | undefined {
    const i = this.find(key);
    return i >= 0 ? this.valuesArr[i] : undefined;
  }

  has(key: number): boolean {
    return this.find(key) >= 0;
  }

  /** Sets `key` to `value` in place (only on a map the caller owns). */
  set(key: number, value: V): void {
    const i = this.find(key);
    if (i >= 0) {
      this.valuesArr[i] = value;
    } else {
      this.keysArr.splice(-i - 1, 0, key);
      this.valuesArr.splice(-i - 1, 0, value);
    }
  }

  /** Deletes `key` in place (only on a map the caller owns); true when it was there. */
  delete(key: number): boolean {
    const i = this.find(key);
    if (i < 0) return false;
    this.keysArr.splice(i, 1);
    this.valuesArr.splice(i, 1);
    return true;
  }

  /** A copy that can be written without touching this one. O(size). */
  clone(): SmallSortedMap<V> {
    return new SmallSortedMap(this.keysArr.slice(), this.valuesArr.slice());
  }

  *entries(lowestKey?: number): IterableIterator<[number, V]> {
    const from = lowestKey === undefined ? 0 : this.lowerBound(lowestKey);
    for (let i = from; i < this.keysArr.length; i++) yield [this.keysArr[i]!, this.valuesArr[i]!];
  }

  *entriesReversed(highestKey?: number): IterableIterator<[number, V]> {
    const from = highestKey === undefined ? this.keysArr.length - 1 : this.upperBound(highestKey) - 1;
    for (let i = from; i >= 0; i--) yield [this.keysArr[i]!, this.valuesArr[i]!];
  }

  *keys(firstKey?: number): IterableIterator<number> {
    for (const [k] of this.entries(firstKey)) yield k;
  }

  *values(firstKey?: number): IterableIterator<V> {
    for (const [, v] of this.entries(firstKey)) yield v;
  }

  minKey(): number | undefined {
    return this.keysArr[0];
  }

  maxKey(): number | undefined {
    return this.keysArr[this.keysArr.length - 1];
  }

  /** First index with key ≥ `key`. */
  private lowerBound(key: number): number {
    const i = this.find(key);
    return i >= 0 ? i : -i - 1;
  }

  /** First index with key > `key`. */
  private upperBound(key: number): number {
    const i = this.find(key);
    return i >= 0 ? i + 1 : -i - 1;
  }

  nextHigherPair(key: number | undefined): [number, V] | undefined {
    return this.pair(key === undefined ? 0 : this.upperBound(key));
  }

  nextLowerPair(key: number | undefined): [number, V] | undefined {
    return this.pair(key === undefined ? this.keysArr.length - 1 : this.lowerBound(key) - 1);
  }

  getPairOrNextHigher(key: number): [number, V] | undefined {
    return this.pair(this.lowerBound(key));
  }

  getPairOrNextLower(key: number): [number, V] | undefined {
    return this.pair(this.upperBound(key) - 1);
  }
}
