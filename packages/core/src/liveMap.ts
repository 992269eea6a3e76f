import { MISSING, NumberTree, type EditToken } from './persistentTree';

/** A record that knows its own id (allocated blocks do). */
interface Keyed {
  readonly id: string | null;
}

/**
 * The read side of a `LiveMap`: allocated blocks by id. Iteration is in hash order (by the
 * 30-bit hash of the id, then by id), which depends only on the set of ids: the same for
 * every state holding the same ids, whatever the order they came in, but not sorted by id.
 */
export interface ReadonlyLiveMap<V extends Keyed> {
  /** How many ids. O(1). */
  readonly size: number;
  /** The record of `id`, or undefined. O(log n). */
  get(id: string): V | undefined;
  /** True when `id` has a record. O(log n). */
  has(id: string): boolean;
  /** [id, record] pairs in hash order. */
  entries(): IterableIterator<[string, V]>;
  /** Ids in hash order. */
  keys(): IterableIterator<string>;
  /** Records in hash order. */
  values(): IterableIterator<V>;
}

/**
 * A persistent map from ids to the records that carry them, for the live-id map: a
 * `NumberTree` keyed by a 30-bit FNV-1a hash of the id. Number keys make each lookup a few
 * binary searches over small packed arrays, where string keys would touch a string per
 * comparison (a cache miss each in a big heap). Ids that share a hash share one entry, an
 * array sorted by id. Writes follow the tree's rule: only on a handle from `editable(token)`.
 */
export class LiveMap<V extends Keyed> implements ReadonlyLiveMap<V> {
  private constructor(
    private tree: NumberTree<V | V[]>,
    private count: number,
    private readonly owner: EditToken | null,
  ) {}

  /** An empty map, writable under `token` when given. */
  static empty<V extends Keyed>(token: EditToken | null = null): LiveMap<V> {
    return new LiveMap<V>(NumberTree.empty<V | V[]>(token), 0, token);
  }

  get size(): number {
    return this.count;
  }

  /** This map when made under `token`, else a handle under it sharing everything (O(1)). */
  editable(token: EditToken): LiveMap<V> {
    return this.owner === token ? this : new LiveMap<V>(this.tree.editable(token), this.count, token);
  }

  get(id: string): V | undefined {
    const hit = this.tree.get(hashId(id));
    if (hit === undefined) return undefined;
    if (!Array.isArray(hit)) return hit.id === id ? hit : undefined;
    for (const v of hit) if (v.id === id) return v;
    return undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Sets the record of `value.id` (which must be a string). O(log n): one descent unless ids collide. */
  set(value: V): void {
    const id = value.id!;
    const h = hashId(id);
    const hit = this.tree.set(h, value);
    if (hit === undefined) this.count++;
    else if (Array.isArray(hit)) {
      const bucket = hit.filter((v) => v.id !== id);
      if (bucket.length === hit.length) this.count++;
      bucket.push(value);
      bucket.sort((a, b) => (a.id! < b.id! ? -1 : 1));
      this.tree.set(h, bucket);
    } else if (hit.id !== id) {
      this.tree.set(h, hit.id! < id ? [hit, value] : [value, hit]);
      this.count++;
    }
  }

  /** Deletes `id`; true when it was there. O(log n): one descent unless ids collide. */
  delete(id: string): boolean {
    const h = hashId(id);
    const hit = this.tree.remove(h);
    if (hit === MISSING) return false;
    if (Array.isArray(hit)) {
      const bucket = hit.filter((v) => v.id !== id);
      this.tree.set(h, bucket.length === 1 ? bucket[0]! : bucket);
      if (bucket.length === hit.length) return false;
    } else if (hit.id !== id) {
      this.tree.set(h, hit);
      return false;
    }
    this.count--;
    return true;
  }

  *values(): IterableIterator<V> {
    for (const hit of this.tree.values()) {
      if (Array.isArray(hit)) yield* hit;
      else yield hit;
    }
  }

  *entries(): IterableIterator<[string, V]> {
    for (const v of this.values()) yield [v.id!, v];
  }

  *keys(): IterableIterator<string> {
    for (const v of this.values()) yield v.id!;
  }
}

/** FNV-1a over the id's UTF-16 code units, folded to 30 bits (a small integer in V8). */
export function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 30)) & 0x3fffffff;
}
