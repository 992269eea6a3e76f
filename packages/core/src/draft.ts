import { BTree } from './btree';
import type { Layout } from './layout';
import type { Policy } from './policy';
import { SmallSortedMap } from './smallSortedMap';
import type { ReadonlySortedMap } from './sortedMap';
import {
  queueKey,
  numberOrder,
  walkOrder,
  type BlockState,
  type FamilyState,
  type HeapState,
  type LiveRef,
  type PageState,
  type QueueEntry,
  type WalkKey,
} from './state';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type FamilyRec = Mutable<FamilyState> & {
  pages: BTree<number, PageState>;
  queue: BTree<number, QueueEntry>;
  walk: BTree<WalkKey, number>;
};
/** A page's block map as the draft writes it: a small sorted array, or a B+ tree for layouts with very many blocks per page. */
interface BlockMap extends ReadonlySortedMap<number, BlockState> {
  set(key: number, value: BlockState): unknown;
  delete(key: number): boolean;
  clone(): BlockMap;
}
type PageRec = Mutable<PageState> & { blocks: BlockMap };

/** Above this many possible blocks per page, a page's blocks live in a B+ tree rather than an array. */
const SMALL_PAGE_BLOCKS = 1024;

/**
 * A working copy of a heap state that facts are applied to in place (a transient).
 * Whatever it has not created since its last `commit` is shared with earlier states and is
 * copied before its first write, so committed states never change. Structurally it is a
 * `HeapState`, so `decide` can read it between writes.
 */
export class HeapDraft implements HeapState {
  layout: Layout;
  policy: Policy;
  maxPages: number | null;
  families: BTree<number, FamilyState>;
  familyIndex: BTree<string, number>;
  live: BTree<string, LiveRef>;
  nextPage: number;
  pagesInUse: number;
  liveBytes: number;
  nextQseq: number;
  /** Trees and records made since the last commit: only these may be written in place. */
  private owned = new Set<object>();
  /** Family and page records written since the last commit, for O(1) access on the hot path. */
  private ownedFamilies = new Map<number, FamilyRec>();
  private ownedPages = new Map<number, { fam: FamilyRec; page: PageRec }>();
  /** Family index by name, for this draft's own line of states (names are never unregistered). */
  private names = new Map<string, number>();

  constructor(base: HeapState) {
    this.layout = base.layout;
    this.policy = base.policy;
    this.maxPages = base.maxPages;
    this.families = base.families as BTree<number, FamilyState>;
    this.familyIndex = base.familyIndex as BTree<string, number>;
    this.live = base.live as BTree<string, LiveRef>;
    this.nextPage = base.nextPage;
    this.pagesInUse = base.pagesInUse;
    this.liveBytes = base.liveBytes;
    this.nextQseq = base.nextQseq;
  }

  /** Freezes what was written so far into an immutable state; the draft stays usable. */
  commit(): HeapState {
    this.owned.clear();
    this.ownedFamilies.clear();
    this.ownedPages.clear();
    return {
      layout: this.layout,
      policy: this.policy,
      maxPages: this.maxPages,
      families: this.families,
      familyIndex: this.familyIndex,
      live: this.live,
      nextPage: this.nextPage,
      pagesInUse: this.pagesInUse,
      liveBytes: this.liveBytes,
      nextQseq: this.nextQseq,
    };
  }

  private own<T extends { clone(): unknown }>(tree: object): T {
    const t = tree as T;
    if (this.owned.has(t)) return t;
    const copy = t.clone() as T;
    this.owned.add(copy);
    return copy;
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

  /** The live-id map, writable. */
  liveMap(): BTree<string, LiveRef> {
    this.live = this.own(this.live);
    return this.live;
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
      pages: new BTree<number, PageState>(undefined, numberOrder),
      queue: new BTree<number, QueueEntry>(undefined, numberOrder),
      walk: new BTree<WalkKey, number>(undefined, walkOrder),
      pageCount: 0,
      blockCount: 0,
      freeCount: 0,
      liveBytes: 0,
      freeBytes: 0,
      gapBytes: 0,
      softBytes: 0,
    };
    this.owned.add(rec).add(rec.pages).add(rec.queue).add(rec.walk);
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
    this.owned.add(rec);
    this.ownedFamilies.set(index, rec);
    this.families = this.own(this.families);
    this.families.set(index, rec);
    return rec;
  }

  /** A page of a writable family, itself writable (its block tree too); undefined when absent. */
  page(fam: FamilyRec, pageId: number): PageRec | undefined {
    const mine = this.ownedPages.get(pageId);
    if (mine !== undefined && mine.fam === fam) return mine.page;
    const cur = fam.pages.get(pageId) as PageRec | undefined;
    if (cur === undefined) return undefined;
    if (this.owned.has(cur)) return cur;
    const rec: PageRec = { page: cur.page, count: cur.count, blocks: this.own(cur.blocks) };
    this.owned.add(rec);
    this.ownedPages.set(pageId, { fam, page: rec });
    fam.pages = this.own(fam.pages);
    fam.pages.set(pageId, rec);
    return rec;
  }

  /** Adds an empty page run to a writable family and returns it writable. */
  addPage(fam: FamilyRec, pageId: number, count: number): PageRec {
    const { pageSize, metaSize } = this.layout;
    const blocks: BlockMap =
      count > 1 || pageSize / (metaSize + 1) <= SMALL_PAGE_BLOCKS ? SmallSortedMap.empty<BlockState>() : new BTree<number, BlockState>(undefined, numberOrder);
    const rec: PageRec = { page: pageId, count, blocks };
    this.owned.add(rec).add(rec.blocks);
    this.ownedPages.set(pageId, { fam, page: rec });
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
          fam.walk.set({ page: page.page, offset: block.offset }, block.size);
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
          fam.walk.delete({ page: page.page, offset: block.offset });
        }
      }
    } else {
      fam.liveBytes -= block.size;
      this.liveBytes -= block.size;
      fam.gapBytes -= block.gap;
    }
  }

  /** A fresh queue position stamp. */
  stamp(): number {
    return this.nextQseq++;
  }
}
