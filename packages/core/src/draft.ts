import type { Layout } from './layout.js';
import { FitTree, NumberTree, SmallSortedMap, type EditToken, type ReadonlySortedMap, type StringTree } from '@lmm/collections';
import { LiveIndex } from './liveIndex.js';
import { walkOrder, type Policy, type WalkOrder } from './policy.js';
import { heapState } from './heapState.js';
import { rebuildWalk, renumberPages, renumberStamps } from './reindex.js';
import { ORDINAL_LIMIT, queueKey, walkKey, type BlockState, type FamilyState, type HeapState, type PageState, type QueueEntry } from './state.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A family record as a draft writes it. */
export type FamilyRec = Mutable<FamilyState> & {
  pages: NumberTree<PageState>;
  queue: NumberTree<QueueEntry>;
  walk: FitTree<QueueEntry>;
};
/** A page's block map as the draft writes it: a small sorted array, or a B+ tree for layouts with very many blocks per page. */
interface BlockMap extends ReadonlySortedMap<number, BlockState> {
  set(key: number, value: BlockState): unknown;
  delete(key: number): boolean;
  editable(token: EditToken): BlockMap;
}
/** A page record as a draft writes it. */
export type PageRec = Mutable<PageState> & { blocks: BlockMap };
/** A block record as a draft makes it: changed in place while no committed state can hold it. */
type BlockRec = Mutable<BlockState>;

/** Above this many possible blocks per page, a page's blocks live in a B+ tree rather than an array. */
const SMALL_PAGE_BLOCKS = 1024;

/**
 * A working copy of a heap state that facts are applied to in place (a transient).
 * Whatever it has not made under its current edit token is shared with earlier states and is
 * copied before its first write, so committed states never change; `commit` takes a new
 * token. It is a `HeapState` too: `decide` reads it between writes through `HeapReader`,
 * which it answers from the records it made or copied since its last commit when it can.
 *
 * What it tracks since its last commit lives in the draft alone, never in the records a
 * commit hands out: the family and page records it owns, and for each page it copied from a
 * committed state, that state's block map. A block record in an owned page is the draft's
 * own — to change in place — unless the committed block map holds that very record.
 */
export class HeapDraft implements HeapState {
  layout: Layout;
  policy: Policy;
  maxPages: number | null;
  families: NumberTree<FamilyState>;
  familyIndex: StringTree<number>;
  /** The live ids (`LiveIndex`: a hash map while a draft starts from none, else the tree). */
  live: LiveIndex;
  nextPage: number;
  pagesInUse: number;
  liveBytes: number;
  nextQseq: number;
  nextOrd: number;
  /** The walk order of `policy`: which walk index `putBlock` and `dropBlock` keep. */
  private order: WalkOrder;
  /** What is made under this token since the last commit may be written in place. */
  private token: EditToken = {};
  /** Family and page records made since the last commit, for O(1) access on the hot path. */
  private ownedFamilies = new Map<number, FamilyRec>();
  private ownedPages = new Map<number, PageRec>();
  /** For each page copied from a committed state since the last commit, that state's blocks: what must not be written in place. */
  private committedBlocks = new Map<number, ReadonlySortedMap<number, BlockState>>();
  /** Family index by name, for this draft's own line of states (names are never unregistered). */
  private names = new Map<string, number>();
  /**
   * The family and the page record that reading last answered (`familyAt`, `pageOf`), when
   * this draft owns them: `decide` has just read them, and the facts it made name them next,
   * so `familyNamed` and `page` answer from here first without a lookup. A cache: any owned
   * record of the draft is a correct value; none after a commit.
   */
  private hotFamily: FamilyRec | undefined;
  private hotPage: PageRec | undefined;

  constructor(base: HeapState) {
    this.layout = base.layout;
    this.policy = base.policy;
    this.maxPages = base.maxPages;
    this.families = base.families as NumberTree<FamilyState>;
    this.familyIndex = base.familyIndex as StringTree<number>;
    this.live = new LiveIndex(base.live as StringTree<BlockState>, this.token);
    this.nextPage = base.nextPage;
    this.pagesInUse = base.pagesInUse;
    this.liveBytes = base.liveBytes;
    this.nextQseq = base.nextQseq;
    this.nextOrd = base.nextOrd;
    this.order = walkOrder(base.policy);
  }

  /** Freezes what was written so far into an immutable state; the draft stays usable. */
  commit(): HeapState {
    const live = this.live.flush();
    this.token = {};
    this.live = new LiveIndex(live, this.token);
    this.ownedFamilies.clear();
    this.ownedPages.clear();
    this.committedBlocks.clear();
    this.hotFamily = undefined;
    this.hotPage = undefined;
    return heapState({
      layout: this.layout,
      policy: this.policy,
      maxPages: this.maxPages,
      families: this.families,
      familyIndex: this.familyIndex,
      live,
      nextPage: this.nextPage,
      pagesInUse: this.pagesInUse,
      liveBytes: this.liveBytes,
      nextQseq: this.nextQseq,
      nextOrd: this.nextOrd,
    });
  }

  private own<T extends { editable(token: EditToken): T }>(tree: T): T {
    return tree.editable(this.token);
  }

  /** The index of the family named `name`, or undefined; O(1) after the first lookup. */
  familyIndexOf(name: string): number | undefined {
    let index = this.names.get(name);
    if (index === undefined) {
      index = this.familyIndex.get(name);
      if (index !== undefined) this.names.set(name, index);
    }
    return index;
  }

  /** Adds a new family at the next index. */
  addFamily(name: string, size: number): void {
    const index = this.familyIndex.size;
    this.familyIndex = this.own(this.familyIndex);
    this.familyIndex.set(name, index);
    this.names.set(name, index);
    const rec: FamilyRec = {
      index,
      name,
      size,
      pages: NumberTree.empty<PageState>(this.token),
      queue: NumberTree.empty<QueueEntry>(this.token),
      walk: FitTree.empty<QueueEntry>(this.token),
      pageCount: 0,
      blockCount: 0,
      freeCount: 0,
      liveBytes: 0,
      freeBytes: 0,
      gapBytes: 0,
      softBytes: 0,
      pageRequests: 0,
      avoidableGrowth: 0,
    };
    this.ownedFamilies.set(index, rec);
    this.families = this.own(this.families);
    this.families.set(index, rec);
  }

  /** The family at `index`, writable; undefined when there is none. */
  family(index: number): FamilyRec | undefined {
    const mine = this.ownedFamilies.get(index);
    if (mine !== undefined) return mine;
    const cur = this.families.get(index) as FamilyRec | undefined;
    if (cur === undefined) return cur;
    const rec: FamilyRec = { ...cur };
    this.ownedFamilies.set(index, rec);
    this.families = this.own(this.families);
    this.families.set(index, rec);
    return rec;
  }

  /** A page of a writable family, itself writable (its block tree too); undefined when absent. */
  page(fam: FamilyRec, pageId: number): PageRec | undefined {
    const hot = this.hotPage;
    if (hot !== undefined && hot.page === pageId && hot.family === fam.index) return hot;
    const mine = this.ownedPages.get(pageId);
    if (mine !== undefined) return mine.family === fam.index ? mine : undefined;
    const cur = fam.pages.get(pageId) as PageRec | undefined;
    if (cur === undefined) return undefined;
    const rec: PageRec = { family: cur.family, page: cur.page, count: cur.count, ord: cur.ord, blocks: this.own(cur.blocks) };
    this.ownedPages.set(pageId, rec);
    this.committedBlocks.set(pageId, cur.blocks);
    fam.pages = this.own(fam.pages);
    fam.pages.set(pageId, rec);
    return rec;
  }

  /** `HeapReader.familyNamed`: O(1) after the first lookup of a name. */
  familyNamed(name: string): FamilyState | undefined {
    const index = this.familyIndexOf(name);
    return index === undefined ? undefined : this.familyAt(index);
  }

  /**
   * The family named `name`, writable; undefined when there is none. The family reading
   * last answered is checked first (a fact `decide` just made names it).
   */
  familyRec(name: string): FamilyRec | undefined {
    const hot = this.hotFamily;
    if (hot !== undefined && hot.name === name) return hot;
    const index = this.familyIndexOf(name);
    return index === undefined ? undefined : this.family(index);
  }

  /** `HeapReader.familyAt`: O(1) for a family written since the last commit. */
  familyAt(index: number): FamilyState | undefined {
    const mine = this.ownedFamilies.get(index);
    if (mine === undefined) return this.families.get(index);
    this.hotFamily = mine;
    return mine;
  }

  /** `HeapReader.liveBlock`: one hash lookup while the live ids fit the draft's map. */
  liveBlock(id: string): BlockState | undefined {
    return this.live.get(id);
  }

  /**
   * `HeapReader.pageOf`, for reading only: O(1) for a page the draft has written since its
   * last commit (an engine's steady state), else a lookup in the family's page tree.
   */
  pageOf(fam: FamilyState, pageId: number): PageState | undefined {
    const mine = this.ownedPages.get(pageId);
    if (mine === undefined) return fam.pages.get(pageId);
    if (mine.family !== fam.index) return undefined;
    this.hotPage = mine;
    return mine;
  }

  /**
   * Adds an empty page run to a writable family (a page request: counted in `pageRequests`)
   * and returns it writable. A single page gets the next ordinal.
   */
  addPage(fam: FamilyRec, pageId: number, count: number): PageRec {
    const { pageSize, metaSize } = this.layout;
    const blocks: BlockMap =
      count > 1 || pageSize / (metaSize + 1) <= SMALL_PAGE_BLOCKS ? SmallSortedMap.empty<BlockState>(this.token) : NumberTree.empty<BlockState>(this.token);
    if (count === 1 && this.nextOrd >= ORDINAL_LIMIT) renumberPages(this);
    const rec: PageRec = { family: fam.index, page: pageId, count, ord: count === 1 ? this.nextOrd++ : 0, blocks };
    fam.pageRequests++;
    this.ownedPages.set(pageId, rec);
    fam.pages = this.own(fam.pages);
    fam.pages.set(pageId, rec);
    fam.pageCount += count;
    this.pagesInUse += count;
    return rec;
  }

  /** Removes an (empty) page run from a writable family. */
  dropPage(fam: FamilyRec, page: PageRec): void {
    fam.pages = this.own(fam.pages);
    fam.pages.delete(page.page);
    this.ownedPages.delete(page.page);
    if (this.hotPage === page) this.hotPage = undefined;
    this.committedBlocks.delete(page.page);
    fam.pageCount -= page.count;
    this.pagesInUse -= page.count;
  }

  /** Puts a block into a writable page, keeping the family's counters, queue and walk index. */
  putBlock(fam: FamilyRec, page: PageRec, block: BlockState): void {
    page.blocks.set(block.offset, block);
    fam.blockCount++;
    if (block.free) {
      fam.freeCount++;
      fam.freeBytes += block.size;
      if (block.size < fam.size) fam.softBytes += block.size;
      if (block.qseq > 0) {
        fam.queue = this.own(fam.queue);
        fam.queue.set(queueKey(block.size, block.qseq), block);
        if (this.order !== 'none') {
          fam.walk = this.own(fam.walk);
          fam.walk.set(walkKey(this.order, page.ord, block.offset), block);
        }
      }
    } else {
      fam.liveBytes += block.size;
      this.liveBytes += block.size;
      fam.gapBytes += block.gap;
    }
  }

  /**
   * Removes a block from a writable page, the reverse of `putBlock`. With `keepSlot` its entry
   * in the page stays, for a `putBlock` at the same offset to overwrite next (a block changed
   * in place: no entries shifted out and back).
   */
  dropBlock(fam: FamilyRec, page: PageRec, block: BlockState, keepSlot = false): void {
    if (!keepSlot) page.blocks.delete(block.offset);
    fam.blockCount--;
    if (block.free) {
      fam.freeCount--;
      fam.freeBytes -= block.size;
      if (block.size < fam.size) fam.softBytes -= block.size;
      if (block.qseq > 0) {
        fam.queue = this.own(fam.queue);
        fam.queue.delete(queueKey(block.size, block.qseq));
        if (this.order !== 'none') {
          fam.walk = this.own(fam.walk);
          fam.walk.delete(walkKey(this.order, page.ord, block.offset));
        }
      }
    } else {
      fam.liveBytes -= block.size;
      this.liveBytes -= block.size;
      fam.gapBytes -= block.gap;
    }
  }

  /** A new block record, which this draft may change in place until its next commit. */
  newBlock(family: number, page: number, offset: number, size: number, free: boolean, gap: number, id: string | null, qseq: number): BlockState {
    const block: BlockRec = { family, page, offset, size, free, gap, id, qseq };
    return block;
  }

  /**
   * The record of what `block` of the writable `page` (taken out of it with `dropBlock`)
   * becomes, for `putBlock`: `block` itself, changed in place, when this draft made it since
   * its last commit (no committed state can hold it, and the records a long run replaced were
   * most of what its scavenges copied); else a new record. It is the draft's unless the page
   * was copied from a committed state whose block map holds this very record (a committed
   * record never moves, so it is found at its own offset). Family and page stay the block's own.
   */
  changedBlock(page: PageRec, block: BlockState, offset: number, size: number, free: boolean, gap: number, id: string | null, qseq: number): BlockState {
    const committed = this.committedBlocks.get(page.page);
    if (committed !== undefined && committed.get(block.offset) === block) return this.newBlock(block.family, block.page, offset, size, free, gap, id, qseq);
    const mine = block as BlockRec;
    mine.offset = offset;
    mine.size = size;
    mine.free = free;
    mine.gap = gap;
    mine.id = id;
    mine.qseq = qseq;
    return mine;
  }

  /** A fresh queue position stamp (the queued blocks' stamps are renumbered first when they reach `ORDINAL_LIMIT`). */
  stamp(): number {
    if (this.nextQseq >= ORDINAL_LIMIT) renumberStamps(this);
    return this.nextQseq++;
  }

  /**
   * The policy for what follows. A policy that walks the free blocks in another order gets its
   * walk index built from every family's free blocks now, O(free blocks); one that walks none
   * drops it.
   */
  setPolicy(policy: Policy): void {
    if (policy === this.policy) return;
    this.policy = policy;
    const order = walkOrder(policy);
    if (order === this.order) return;
    this.order = order;
    for (const index of [...this.families.keys()]) rebuildWalk(this, this.family(index)!);
  }

  /** The walk order of the current policy. */
  walkOrder(): WalkOrder {
    return this.order;
  }

  /** The draft's current edit token, for trees built whole by `reindex`. */
  editToken(): EditToken {
    return this.token;
  }
}
