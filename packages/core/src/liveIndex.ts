import type { BlockState } from './state.js';
import type { EditToken, ReadonlySortedMap, SortedMapDiffVisitor, StringTree } from '@lmm/collections';

/**
 * Ids the hash map holds at most; at the next one they move into the tree and the draft goes
 * on there. Above a few hundred thousand entries V8's Map costs more than it saves: 3M ids that
 * all stay live ran 4–5 s slower and took 150 MB more without a cap, and the same as the
 * tree with this one; 300k live ids ran 25 % faster in the map than in the tree.
 */
export const HASH_CAP = 2 ** 18;

/**
 * A draft's live ids. The state keeps them in a sorted, persistent tree (`HeapState.live`);
 * a draft that starts from a heap with no live ids (every run from the start: `lmm run`,
 * the first stretch of a replay) keeps them in a hash map instead until it commits, and
 * then builds the tree from them in key order. An `lmm run` that holds at most `HASH_CAP`
 * live ids therefore never descends the id tree per command: one hash lookup finds a freed
 * id's block (at 100,000 live ids the tree's descent costs 2–8 times as much, its string
 * comparisons missing the cache). A draft over live ids writes the tree in place, as every
 * other collection, and so does one whose map grew past `HASH_CAP` ids. Reading in order
 * (`entries`, `minKey` …) builds the tree first. Internal to the draft.
 */
export class LiveIndex implements ReadonlySortedMap<string, BlockState> {
  private tree: StringTree<BlockState>;
  /** Every live id while the tree is empty since the last commit; null when the tree holds them. */
  private hash: Map<string, BlockState> | null;

  /**
   * Over `tree` (a committed state's), writing under the draft's current `token` (a draft
   * makes a new index when it takes a new token); `cap` is `HASH_CAP` but for tests.
   */
  constructor(
    tree: StringTree<BlockState>,
    private readonly token: EditToken,
    private readonly cap = HASH_CAP,
  ) {
    this.tree = tree;
    this.hash = tree.size === 0 ? new Map() : null;
  }

  get size(): number {
    return this.hash === null ? this.tree.size : this.hash.size;
  }

  get(id: string): BlockState | undefined {
    return this.hash === null ? this.tree.get(id) : this.hash.get(id);
  }

  has(id: string): boolean {
    return this.hash === null ? this.tree.has(id) : this.hash.has(id);
  }

  /** Points `id` at `block` (a new id, or a live one: a realloc onto itself). */
  set(id: string, block: BlockState): void {
    if (this.hash !== null) {
      if (this.hash.size < this.cap) {
        this.hash.set(id, block);
        return;
      }
      this.flush();
    }
    this.tree = this.tree.editable(this.token);
    this.tree.set(id, block);
  }

  /** Drops the live id `id`. */
  delete(id: string): void {
    if (this.hash !== null) {
      this.hash.delete(id);
      return;
    }
    this.tree = this.tree.editable(this.token);
    this.tree.delete(id);
  }

  /**
   * The live ids as a persistent tree: the tree itself, or one built from the hash map's ids
   * in key order, in one pass (O(k log k) for k ids, the sort). From then on the tree holds
   * them.
   */
  flush(): StringTree<BlockState> {
    const hash = this.hash;
    if (hash === null || hash.size === 0) return this.tree;
    const tree = this.tree.editable(this.token);
    const ids = [...hash.keys()].sort();
    tree.load(ids, ids.map((id) => hash.get(id)!));
    this.tree = tree;
    this.hash = null;
    return tree;
  }

  entries(lowestKey?: string): IterableIterator<[string, BlockState]> {
    return this.flush().entries(lowestKey);
  }

  entriesReversed(highestKey?: string): IterableIterator<[string, BlockState]> {
    return this.flush().entriesReversed(highestKey);
  }

  keys(firstKey?: string): IterableIterator<string> {
    return this.flush().keys(firstKey);
  }

  values(firstKey?: string): IterableIterator<BlockState> {
    return this.flush().values(firstKey);
  }

  minKey(): string | undefined {
    return this.flush().minKey();
  }

  maxKey(): string | undefined {
    return this.flush().maxKey();
  }

  firstValue(): BlockState | undefined {
    return this.flush().firstValue();
  }

  valueAtOrAbove(key: string, strict?: boolean): BlockState | undefined {
    return this.flush().valueAtOrAbove(key, strict);
  }

  valueAtOrBelow(key: string, strict?: boolean): BlockState | undefined {
    return this.flush().valueAtOrBelow(key, strict);
  }

  nextHigherPair(key: string | undefined): [string, BlockState] | undefined {
    return this.flush().nextHigherPair(key);
  }

  nextLowerPair(key: string | undefined): [string, BlockState] | undefined {
    return this.flush().nextLowerPair(key);
  }

  getPairOrNextHigher(key: string): [string, BlockState] | undefined {
    return this.flush().getPairOrNextHigher(key);
  }

  getPairOrNextLower(key: string): [string, BlockState] | undefined {
    return this.flush().getPairOrNextLower(key);
  }

  diff(other: ReadonlySortedMap<string, BlockState>, visit: SortedMapDiffVisitor<string, BlockState>): void {
    this.flush().diff(other, visit);
  }
}
