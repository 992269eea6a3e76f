import { diffInOrder, diffTrees } from './diffTrees.js';
import type { ReadonlySortedMap, SortedMapDiffVisitor } from './sortedMap.js';
import { NO_VALUES, TreeNode, writableKeys, type EditToken, type MeasuredNode } from './treeNode.js';
import { ENTRIES, KEYS, TreeWalk, VALUES } from './treeWalk.js';
import { insertAt, removeAt, withInserted } from './arrayEdits.js';

/** Keys per node at most; a node that grows past it splits in two. */
const MAX = 32;
/**
 * Spare slots a leaf gets when a transient inserts into it a second time (a leaf it already
 * owned): later inserts under the same token then write in place instead of allocating two
 * new arrays each (their survivors were most of the engine's GC). A leaf written once per
 * token, as `step` does, keeps exact-size arrays.
 */
const SLACK = 8;
/** Keys per non-root node at least, after a delete; fewer and it borrows from or merges with a sibling. */
const MIN = 8;
/**
 * Keys per node at most when `load` builds a tree: three quarters full, like a tree grown by
 * random inserts (about 70 %), where inserts in key order would leave every leaf half full.
 */
const LOAD_FILL = 24;

/**
 * A persistent sorted map: a B+ tree whose nodes are shared between versions. Reads work on
 * any version; writes (`set`, `delete`) only on a handle made by `editable(token)`, and they
 * copy each node on the path they change unless it was made under the same token (so a
 * draft that writes many times between commits copies each node once: a transient).
 * Keys are numbers (`NumberTree`) or strings (`StringTree`), compared with `<`.
 */
export abstract class PersistentTree<K extends number | string, V> implements ReadonlySortedMap<K, V> {
  /** @internal */
  root: TreeNode<K, V>;
  private count: number;
  /** @internal */
  owner: EditToken | null;
  /**
   * What each value weighs, for trees whose nodes keep the largest weight beneath them
   * (`MeasuredNode.max`, updated on every write; such trees make their nodes with `node`);
   * null for plain trees.
   */
  protected measure: ((value: V) => number) | null = null;

  protected constructor(root: TreeNode<K, V>, count: number, owner: EditToken | null) {
    this.root = root;
    this.count = count;
    this.owner = owner;
  }

  /** Index of `key` in sorted `keys`, or −(insertion point) − 1 when absent. */
  protected abstract search(keys: K[], key: K): number;
  /** A new node: a `TreeNode`, or a `MeasuredNode` in a tree that measures its values. */
  protected node(keys: K[], vals: V[], kids: TreeNode<K, V>[] | null, owner: EditToken | null, sharedKeys: boolean): TreeNode<K, V> {
    return new TreeNode<K, V>(keys, vals, kids, owner, sharedKeys);
  }

  /** A handle of the same class over `root`. */
  protected abstract make(root: TreeNode<K, V>, count: number, owner: EditToken | null): this;

  get size(): number {
    return this.count;
  }

  /**
   * This tree as a handle that writes in place under `token`: itself when it was made under
   * that token, else a new handle sharing all nodes (O(1)). Other handles never change.
   */
  editable(token: EditToken): this {
    return this.owner === token ? this : this.make(this.root, this.count, token);
  }

  /** The leaf that would hold `key`. */
  private leafOf(key: K): TreeNode<K, V> {
    let node = this.root;
    while (node.kids !== null) {
      const i = this.search(node.keys, key);
      node = node.kids[childIndex(i)]!;
    }
    return node;
  }

  get(key: K): V | undefined {
    const leaf = this.leafOf(key);
    const i = this.search(leaf.keys, key);
    return i >= 0 ? leaf.vals[i] : undefined;
  }

  has(key: K): boolean {
    return this.search(this.leafOf(key).keys, key) >= 0;
  }

  /** Sets `key` to `value`; only on a handle from `editable`. O(log n). */
  set(key: K, value: V): void {
    const token = this.writer();
    const path = PATH as TreeNode<K, V>[];
    const at = AT;
    let depth = 0;
    let wasOwned = this.root.owner === token;
    let node = this.own(this.root, token);
    this.root = node;
    while (node.kids !== null) {
      const s = this.search(node.keys, key);
      // A new smallest key lowers the first bound, so a branch's keys stay sorted.
      if (s === -1) writableKeys(node)[0] = key;
      const i = childIndex(s);
      wasOwned = node.kids[i]!.owner === token;
      const kid = this.own(node.kids[i]!, token);
      node.kids[i] = kid;
      path[depth] = node;
      at[depth++] = i;
      node = kid;
    }
    const j = this.search(node.keys, key);
    if (j >= 0) {
      node.vals[j] = value;
      if (this.measure !== null) this.remeasurePath(node, path, depth);
      return;
    }
    const n = node.keys.length;
    if (n < node.room && !node.sharedKeys) {
      insertAt(node.keys, -j - 1, key);
      insertAt(node.vals, -j - 1, value);
    } else {
      // New arrays, of the exact size unless this token wrote here before: V8's own growth
      // would leave half as much again plus 16 spare slots in every leaf it touched.
      const capacity = wasOwned ? Math.min(n + 1 + SLACK, MAX + 1) : n + 1;
      node.keys = withInserted(node.keys, -j - 1, key, capacity);
      node.sharedKeys = false;
      node.vals = withInserted(node.vals, -j - 1, value, capacity);
      node.room = capacity;
    }
    this.count++;
    // Split upwards while a node is too big.
    while (node.keys.length > MAX) {
      const half = node.keys.length >> 1;
      const right = this.node(
        node.keys.slice(half),
        node.kids === null ? node.vals.slice(half) : NO_VALUES,
        node.kids === null ? null : node.kids.slice(half),
        token,
        false,
      );
      node.keys = node.keys.slice(0, half);
      node.sharedKeys = false;
      node.room = 0;
      if (node.kids === null) node.vals = node.vals.slice(0, half);
      else node.kids = node.kids.slice(0, half);
      if (this.measure !== null) {
        this.remeasure(node);
        this.remeasure(right);
      }
      if (depth === 0) {
        this.root = this.node([node.keys[0]!, right.keys[0]!], NO_VALUES, [node, right], token, false);
        if (this.measure !== null) this.remeasure(this.root);
        return;
      }
      const parent = path[--depth]!;
      const i = at[depth]!;
      parent.keys = withInserted(parent.keys, i + 1, right.keys[0]!);
      parent.sharedKeys = false;
      parent.kids = withInserted(parent.kids!, i + 1, right);
      node = parent;
    }
    if (this.measure !== null) this.remeasurePath(node, path, depth);
  }

  /**
   * Fills an empty tree with `keys` and their `vals`, building every node once, bottom up,
   * about three quarters full; only on a handle from `editable`. O(n). The keys must be
   * strictly ascending (not checked: the caller has just sorted them).
   */
  load(keys: readonly K[], vals: readonly V[]): void {
    const token = this.writer();
    if (this.count !== 0) throw new Error('load fills an empty tree');
    if (keys.length !== vals.length) throw new Error('load takes as many values as keys');
    if (keys.length === 0) return;
    let level = spread(keys.length, (from, to) => this.node(keys.slice(from, to), vals.slice(from, to), null, token, false));
    while (level.length > 1) {
      const below = level;
      level = spread(below.length, (from, to) => {
        const kids = below.slice(from, to);
        return this.node(kids.map((kid) => kid.keys[0]!), NO_VALUES, kids, token, false);
      });
    }
    if (this.measure !== null) this.remeasureAll(level[0]!);
    this.root = level[0]!;
    this.count = keys.length;
  }

  /** Recomputes `max` of every node under and including an owned `node`, children first. */
  private remeasureAll(node: TreeNode<K, V>): void {
    if (node.kids !== null) for (const kid of node.kids) this.remeasureAll(kid);
    this.remeasure(node);
  }

  /** Deletes `key`; only on a handle from `editable`. True when it was there. O(log n). */
  delete(key: K): boolean {
    const token = this.writer();
    // Find it first, so a missing key copies nothing.
    let probe = this.root;
    let depth = 0;
    const at = AT;
    while (probe.kids !== null) {
      const s = this.search(probe.keys, key);
      const i = childIndex(s);
      at[depth++] = i;
      probe = probe.kids[i]!;
    }
    const j = this.search(probe.keys, key);
    if (j < 0) return false;
    const path = PATH as TreeNode<K, V>[];
    let node = this.own(this.root, token);
    this.root = node;
    for (let d = 0; d < depth; d++) {
      const kid = this.own(node.kids![at[d]!]!, token);
      node.kids![at[d]!] = kid;
      path[d] = node;
      node = kid;
    }
    removeAt(writableKeys(node), j);
    removeAt(node.vals, j);
    this.count--;
    if (this.measure !== null) this.remeasure(node);
    // Rebalance upwards while a node is too small.
    while (depth > 0 && node.keys.length < MIN) {
      const parent = path[--depth]!;
      this.rebalance(parent, at[depth]!, token);
      node = parent;
    }
    if (this.measure !== null) this.remeasurePath(node, path, depth);
    if (this.root.kids !== null && this.root.kids.length === 1) this.root = this.root.kids[0]!;
    return true;
  }

  /** Recomputes an owned measured node's `max` from its values or its children's `max`. */
  private remeasure(node: TreeNode<K, V>): void {
    let max = -Infinity;
    if (node.kids === null) {
      const measure = this.measure!;
      for (let k = 0; k < node.vals.length; k++) max = Math.max(max, measure(node.vals[k]!));
    } else {
      for (let k = 0; k < node.kids.length; k++) max = Math.max(max, (node.kids[k] as MeasuredNode<K, V>).max);
    }
    (node as MeasuredNode<K, V>).max = max;
  }

  /** Recomputes `max` of `node` and then of its ancestors `path[depth − 1]` … `path[0]` (all owned). */
  private remeasurePath(node: TreeNode<K, V>, path: TreeNode<K, V>[], depth: number): void {
    this.remeasure(node);
    for (let d = depth - 1; d >= 0; d--) this.remeasure(path[d]!);
  }

  /**
   * Fixes the too-small child `i` of an owned `parent` by borrowing from or merging with a
   * sibling; in a measuring tree the children it changed get their `max` again (the parent's
   * is left to the caller, which goes on up the path).
   */
  private rebalance(parent: TreeNode<K, V>, i: number, token: EditToken): void {
    const kids = parent.kids!;
    const l = i > 0 ? i - 1 : i;
    const left = this.own(kids[l]!, token);
    const right = this.own(kids[l + 1]!, token);
    kids[l] = left;
    kids[l + 1] = right;
    writableKeys(parent);
    writableKeys(left);
    writableKeys(right);
    const leaf = left.kids === null;
    left.room = 0;
    right.room = 0;
    const total = left.keys.length + right.keys.length;
    if (total <= MAX) {
      // Merge right into left.
      if (leaf) {
        for (let k = 0; k < right.keys.length; k++) {
          left.keys.push(right.keys[k]!);
          left.vals.push(right.vals[k]!);
        }
      } else {
        left.keys.push(parent.keys[l + 1]!);
        for (let k = 1; k < right.keys.length; k++) left.keys.push(right.keys[k]!);
        for (const kid of right.kids!) left.kids!.push(kid);
      }
      parent.keys.splice(l + 1, 1);
      kids.splice(l + 1, 1);
      if (this.measure !== null) this.remeasure(left);
      return;
    }
    // Even them out.
    const want = total >> 1;
    if (left.keys.length > want) {
      const move = left.keys.length - want;
      if (leaf) {
        right.keys.unshift(...left.keys.splice(want, move));
        right.vals.unshift(...left.vals.splice(want, move));
      } else {
        right.keys[0] = parent.keys[l + 1]!;
        right.keys.unshift(...left.keys.splice(want, move));
        right.kids!.unshift(...left.kids!.splice(want, move));
      }
    } else {
      const move = want - left.keys.length;
      if (move === 0) return;
      if (leaf) {
        left.keys.push(...right.keys.splice(0, move));
        left.vals.push(...right.vals.splice(0, move));
      } else {
        left.keys.push(parent.keys[l + 1]!, ...right.keys.splice(1, move - 1));
        right.keys.splice(0, 1);
        left.kids!.push(...right.kids!.splice(0, move));
      }
    }
    parent.keys[l + 1] = right.keys[0]!;
    if (this.measure !== null) {
      this.remeasure(left);
      this.remeasure(right);
    }
  }

  private writer(): EditToken {
    if (this.owner === null) throw new Error('this tree is a committed version: write through editable(token)');
    return this.owner;
  }

  private own(node: TreeNode<K, V>, token: EditToken): TreeNode<K, V> {
    if (node.owner === token) return node;
    // The keys stay shared until they change: most copies on a path only repoint a child.
    const copy = this.node(node.keys, node.kids === null ? node.vals.slice() : NO_VALUES, node.kids === null ? null : node.kids.slice(), token, true);
    if (this.measure !== null) (copy as MeasuredNode<K, V>).max = (node as MeasuredNode<K, V>).max;
    return copy;
  }

  /** The smallest key's value, or undefined when empty. O(log n), no allocation. */
  firstValue(): V | undefined {
    let node = this.root;
    while (node.kids !== null) node = node.kids[0]!;
    return node.vals[0];
  }

  minKey(): K | undefined {
    let node = this.root;
    while (node.kids !== null) node = node.kids[0]!;
    return node.keys[0];
  }

  maxKey(): K | undefined {
    let node = this.root;
    while (node.kids !== null) node = node.kids[node.kids.length - 1]!;
    return node.keys[node.keys.length - 1];
  }

  /**
   * The value of the first entry whose key is ≥ `key` (`strict`: > `key`), or undefined.
   * O(log n), no allocation.
   */
  valueAtOrAbove(key: K, strict = false): V | undefined {
    const found = this.seek(key, strict ? 1 : 0);
    return found === undefined ? undefined : found[0].vals[found[1]];
  }

  /** The value of the last entry whose key is ≤ `key` (`strict`: < `key`), or undefined. O(log n), no allocation. */
  valueAtOrBelow(key: K, strict = false): V | undefined {
    const found = this.seek(key, strict ? -1 : -2);
    return found === undefined ? undefined : found[0].vals[found[1]];
  }

  /**
   * The leaf and index of an entry near `key`: mode 0 at or above, 1 above, −2 at or below,
   * −1 below. Walks down once and, when the leaf has no such entry, over to its neighbour.
   */
  private seek(key: K, mode: number): [TreeNode<K, V>, number] | undefined {
    const path = PATH as TreeNode<K, V>[];
    const at = AT;
    let depth = 0;
    let node = this.root;
    while (node.kids !== null) {
      const s = this.search(node.keys, key);
      const i = childIndex(s);
      path[depth] = node;
      at[depth++] = i;
      node = node.kids[i]!;
    }
    const s = this.search(node.keys, key);
    let j: number;
    if (mode >= 0) j = s >= 0 ? s + mode : -s - 1;
    else j = s >= 0 ? (mode === -1 ? s - 1 : s) : -s - 2;
    if (j >= 0 && j < node.keys.length) return [node, j];
    // Step to the neighbouring leaf: up to the first level with a sibling that way, then down.
    const up = j >= 0 ? 1 : -1;
    while (depth > 0) {
      const parent = path[--depth]!;
      const i = at[depth]! + up;
      if (i < 0 || i >= parent.kids!.length) continue;
      let n = parent.kids![i]!;
      while (n.kids !== null) n = up > 0 ? n.kids[0]! : n.kids[n.kids.length - 1]!;
      return n.keys.length === 0 ? undefined : [n, up > 0 ? 0 : n.keys.length - 1];
    }
    return undefined;
  }

  private pairAt(found: [TreeNode<K, V>, number] | undefined): [K, V] | undefined {
    return found === undefined ? undefined : [found[0].keys[found[1]]!, found[0].vals[found[1]]!];
  }

  nextHigherPair(key: K | undefined): [K, V] | undefined {
    if (key === undefined) {
      const k = this.minKey();
      return k === undefined ? undefined : [k, this.firstValue()!];
    }
    return this.pairAt(this.seek(key, 1));
  }

  nextLowerPair(key: K | undefined): [K, V] | undefined {
    if (key === undefined) {
      const k = this.maxKey();
      return k === undefined ? undefined : [k, this.get(k)!];
    }
    return this.pairAt(this.seek(key, -1));
  }

  getPairOrNextHigher(key: K): [K, V] | undefined {
    return this.pairAt(this.seek(key, 0));
  }

  getPairOrNextLower(key: K): [K, V] | undefined {
    return this.pairAt(this.seek(key, -2));
  }

  entries(lowestKey?: K): IterableIterator<[K, V]> {
    return new TreeWalk<K, V, [K, V]>(this.root, lowestKey, 1, ENTRIES);
  }

  entriesReversed(highestKey?: K): IterableIterator<[K, V]> {
    return new TreeWalk<K, V, [K, V]>(this.root, highestKey, -1, ENTRIES);
  }

  keys(firstKey?: K): IterableIterator<K> {
    return new TreeWalk<K, V, K>(this.root, firstKey, 1, KEYS);
  }

  values(firstKey?: K): IterableIterator<V> {
    return new TreeWalk<K, V, V>(this.root, firstKey, 1, VALUES);
  }

  diff(other: ReadonlySortedMap<K, V>, visit: SortedMapDiffVisitor<K, V>): void {
    if (other instanceof PersistentTree && other.constructor === this.constructor) diffTrees(this.root, (other as PersistentTree<K, V>).root, visit);
    else diffInOrder(this, other, visit);
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}

/**
 * The child of a branch to descend into for a key, from the key's `search` result in the
 * branch's keys: the child whose lower bound it equals, else the last one whose bound is
 * below it (the first child for a key below every bound).
 */
function childIndex(s: number): number {
  return s >= 0 ? s : s < -1 ? -s - 2 : 0;
}

/**
 * Nodes made by `make(from, to)` over `n` items cut into as few runs of at most `LOAD_FILL` as
 * can be, of sizes differing by at most one (so each holds at least `MIN` when there are two
 * or more: n > LOAD_FILL items in k runs give more than LOAD_FILL · (k − 1) / k ≥ 12 each).
 */
function spread<T>(n: number, make: (from: number, to: number) => T): T[] {
  const runs = Math.ceil(n / LOAD_FILL);
  const out: T[] = [];
  for (let r = 0; r < runs; r++) out.push(make(Math.floor((r * n) / runs), Math.floor(((r + 1) * n) / runs)));
  return out;
}

/** Scratch path of the current descent (trees are at most a few levels deep; writes never nest). */
const PATH: TreeNode<unknown, unknown>[] = [];
const AT: number[] = [];
