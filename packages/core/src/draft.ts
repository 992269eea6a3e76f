import type { Layout } from './layout.js';
import { FitTree, NumberTree, SmallSortedMap, type EditToken, type ReadonlySortedMap, type StringTree } from '@lmm/collections';
import { LiveIndex } from './liveIndex.js';
import type { Policy } from './policy.js';
import { heapState } from './heapState.js';
import { queueKey, walkKey, type BlockState, type FamilyState, type HeapState, type PageState, type QueueEntry } from './state.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type FamilyRec = Mutable<FamilyState> & {
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
type PageRec = Mutable<PageState> & { blocks: BlockMap };
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
  /** What is made under this token since the last commit may be written in place. */
  private token: EditToken = {};
  /** Family and page records made since the last commit, for O(1) access on the hot path. */
  private ownedFamilies = new Map<number, FamilyRec>();
  private ownedPages = new Map<number, PageRec>();
  /** For each page copied from a committed state since the last commit, that state's blocks: what must not be written in place. */
  private committedBlocks = new Map<number, ReadonlySortedMap<number, BlockState>>();
  /** Family index by name, for this draft's own line of states (names are never unregistered). */
  private names = new Map<string, number>();

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
  }

  /** Freezes what was written so far into an immutable state; the draft stays usable. */
  commit(): HeapState {
    const live = this.live.flush();
    this.token = {};
    this.live = new LiveIndex(live, this.token);
    this.ownedFamilies.clear();
    this.ownedPages.clear();
    this.committedBlocks.clear();
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
    const mine = this.ownedPages.get(pageId);
    if (mine !== undefined) return mine.family === fam.index ? mine : undefined;
    const cur = fam.pages.get(pageId) as PageRec | undefined;
    if (cur === undefined) return undefined;
    const rec: PageRec = { family: cur.family, page: cur.page, count: cur.count, blocks: this.own(cur.blocks) };
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

  /** `HeapReader.familyAt`: O(1) for a family written since the last commit. */
  familyAt(index: number): FamilyState | undefined {
    return this.ownedFamilies.get(index) ?? this.families.get(index);
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
    if (mine !== undefined) return mine.family === fam.index ? mine : undefined;
    return fam.pages.get(pageId);
  }

  /** Adds an empty page run to a writable family and returns it writable. */
  addPage(fam: FamilyRec, pageId: number, count: number): PageRec {
    const { pageSize, metaSize } = this.layout;
    const blocks: BlockMap =
      count > 1 || pageSize / (metaSize + 1) <= SMALL_PAGE_BLOCKS ? SmallSortedMap.empty<BlockState>(this.token) : NumberTree.empty<BlockState>(this.token);
    const rec: PageRec = { family: fam.index, page: pageId, count, blocks };
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
        if (this.policy === 'first-fit') {
          fam.walk = this.own(fam.walk);
          fam.walk.set(walkKey(page.page, block.offset), block);
        }
      }
    } else {
      fam.liveBytes += block.size;
      this.liveBytes += block.size;
      fam.gapBytes += block.gap;
    }
  }

  /** Removes a block from a writable page, the reverse of `putBlock`. */
  dropBlock(fam: FamilyRec, page: PageRec, block: BlockState): void {
    page.blocks.delete(block.offset);
    fam.blockCount--;
    if (block.free) {
      fam.freeCount--;
      fam.freeBytes -= block.size;
      if (block.size < fam.size) fam.softBytes -= block.size;
      if (block.qseq > 0) {
        fam.queue = this.own(fam.queue);
        fam.queue.delete(queueKey(block.size, block.qseq));
        if (this.policy === 'first-fit') {
          fam.walk = this.own(fam.walk);
          fam.walk.delete(walkKey(page.page, block.offset));
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

  /** A fresh queue position stamp. */
  stamp(): number {
    return this.nextQseq++;
  }
}
