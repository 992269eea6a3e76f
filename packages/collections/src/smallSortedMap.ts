import { insertAt, removeAt } from './arrayEdits.js';
import { searchNumbers } from './numberTree.js';
import type { EditToken } from './treeNode.js';
import { diffInOrder } from './diffTrees.js';
import type { ReadonlySortedMap, SortedMapDiffVisitor } from './sortedMap.js';

/**
 * A sorted map from numbers to values kept as two parallel arrays: for the blocks of one
 * page, whose count is bounded by the layout (pageSize / (metaSize + 1), 141 for `seed`),
 * never by the heap's size. Lookups are a binary search; `editable(token)` copies the arrays
 * (the copy-on-write step) unless the map was made under that token, and writes are then in
 * place. Same surface as the persistent trees used for unbounded collections, so the draft
 * treats both alike.
 */
export class SmallSortedMap<V> implements ReadonlySortedMap<number, V> {
  private constructor(
    private keysArr: number[],
    private valuesArr: V[],
    private owner: EditToken | null,
  ) {}

  /**
   * The index the last search found or would insert at: a search for the same key, or for a
   * neighbour of it (a block's page is searched for the block, then for the blocks beside it
   * or the place after it), starts there and mostly needs no binary search. A cache, not
   * state: any value is correct.
   */
  private hint = 0;

  /** An empty map, writable under `token` when given. */
  static empty<V>(token: EditToken | null = null): SmallSortedMap<V> {
    return new SmallSortedMap<V>([], [], token);
  }

  get size(): number {
    return this.keysArr.length;
  }

  /** Index of `key`, or -(insertion point) - 1 when absent. */
  private find(key: number): number {
    const keys = this.keysArr;
    const n = keys.length;
    const h = this.hint;
    if (h < n) {
      const k = keys[h]!;
      if (k === key) return h;
      if (k < key) {
        // At or just after the hint.
        if (h + 1 === n || keys[h + 1]! > key) {
          this.hint = h + 1;
          return -h - 2;
        }
        if (keys[h + 1] === key) {
          this.hint = h + 1;
          return h + 1;
        }
      } else {
        // Just before the hint.
        if (h === 0 || keys[h - 1]! < key) return -h - 1;
        if (keys[h - 1] === key) {
          this.hint = h - 1;
          return h - 1;
        }
      }
    }
    const i = searchNumbers(keys, key);
    this.hint = i >= 0 ? i : -i - 1;
    return i;
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

  /** Sets `key` to `value` in place (only on a map from `editable`). */
  set(key: number, value: V): void {
    const i = this.find(key);
    if (i >= 0) {
      this.valuesArr[i] = value;
    } else {
      insertAt(this.keysArr, -i - 1, key);
      insertAt(this.valuesArr, -i - 1, value);
    }
  }

  /** Deletes `key` in place (only on a map from `editable`); true when it was there. */
  delete(key: number): boolean {
    const i = this.find(key);
    if (i < 0) return false;
    removeAt(this.keysArr, i);
    removeAt(this.valuesArr, i);
    return true;
  }

  /** This map when it was made under `token`, else a copy made under it (O(size)) that can be written without touching this one. */
  editable(token: EditToken): SmallSortedMap<V> {
    return this.owner === token ? this : new SmallSortedMap(this.keysArr.slice(), this.valuesArr.slice(), token);
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

  firstValue(): V | undefined {
    return this.valuesArr[0];
  }

  valueAtOrAbove(key: number, strict = false): V | undefined {
    return this.valuesArr[strict ? this.upperBound(key) : this.lowerBound(key)];
  }

  valueAtOrBelow(key: number, strict = false): V | undefined {
    const i = (strict ? this.lowerBound(key) : this.upperBound(key)) - 1;
    return i >= 0 ? this.valuesArr[i] : undefined;
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

  diff(other: ReadonlySortedMap<number, V>, visit: SortedMapDiffVisitor<number, V>): void {
    diffInOrder(this, other, visit);
  }
}
