import { NumberTree, StringTree, type FirstFitIndex, type ReadonlySortedMap } from '@lmm/collections';
import type { Layout } from './layout.js';
import type { Policy, WalkOrder } from './policy.js';
import type { HeapReader } from './heapReader.js';
import { heapState } from './heapState.js';

/**
 * One block of a page: a meta block at `offset` followed by `size` data bytes and `gap` bytes
 * of hard fragmentation. It knows its family and page, so the free queue and the live-id map
 * hold the block records themselves (a block record is a `QueueEntry` and a `LiveRef`).
 */
export interface BlockState {
  /** Index of the block's family. */
  readonly family: number;
  /** Id of the block's page run. */
  readonly page: number;
  /** Offset of the meta block from the start of its page run, in bytes. */
  readonly offset: number;
  /** Data bytes (without the gap). */
  readonly size: number;
  /** True for a free block. */
  readonly free: boolean;
  /** Hard-fragmentation bytes after the data; 0 on free blocks. */
  readonly gap: number;
  /** The allocation's id, or null on a free block. */
  readonly id: string | null;
  /** The free block's position stamp in its family's queue (FIFO among equal sizes); 0 when not queued. */
  readonly qseq: number;
}

/** A run of `count` VM pages (1, or k for a large block) whose id is `page`. */
export interface PageState {
  /** Index of the family the run belongs to. */
  readonly family: number;
  /** The page id: the virtual page number of the run's first page. */
  readonly page: number;
  /** Pages in the run. */
  readonly count: number;
  /**
   * A single page's ordinal: ascending with the page id within its family and below
   * `ORDINAL_LIMIT`, so walk keys stay exact however large page ids grow (`walkKey`). 0 on a
   * large run (its block is never free in the walk index).
   */
  readonly ord: number;
  /** Blocks by offset. */
  readonly blocks: ReadonlySortedMap<number, BlockState>;
}

/** A free block as the free queue holds it. */
export interface QueueEntry {
  readonly page: number;
  readonly offset: number;
  readonly size: number;
}

/** Where a live id's block is: family index, page id and meta offset. */
export interface LiveRef {
  readonly family: number;
  readonly page: number;
  readonly offset: number;
}

/**
 * A page family with its pages, free queue and running counters (kept up to date by
 * every fact, so statistics cost O(1) per family).
 */
export interface FamilyState {
  /** Registration order, from 0. */
  readonly index: number;
  readonly name: string;
  /** Struct size in bytes. */
  readonly size: number;
  /** Page runs keyed by page id; list order (newest first) is descending id. */
  readonly pages: ReadonlySortedMap<number, PageState>;
  /** Free blocks keyed by `queueKey(size, qseq)`: ascending key is queue order. */
  readonly queue: ReadonlySortedMap<number, QueueEntry>;
  /**
   * Free blocks keyed by `walkKey(order, page ord, offset)`: ascending key is the walk order of
   * the policy (`walkOrder`), and `firstFit(size)` finds the first that fits in O(log n). Only
   * kept under `first-fit` and `address-first-fit`, else empty.
   */
  readonly walk: FirstFitIndex<QueueEntry>;
  /** Σ count of its page runs. */
  readonly pageCount: number;
  /** Blocks in all its pages. */
  readonly blockCount: number;
  /** Free blocks among them. */
  readonly freeCount: number;
  /** Σ size of allocated blocks. */
  readonly liveBytes: number;
  /** Σ size of free blocks. */
  readonly freeBytes: number;
  /** Σ gap of allocated blocks. */
  readonly gapBytes: number;
  /** Σ size of free blocks smaller than the family's struct size. */
  readonly softBytes: number;
  /** PageRequest facts of the family so far (SPEC §3 `pageRequests`). */
  readonly pageRequests: number;
  /**
   * Page requests for an ordinary block made while the family's free bytes, just before the
   * request, were at least the requested size (SPEC §3 `avoidableGrowth`).
   */
  readonly avoidableGrowth: number;
}

/** The fields of a heap state: what a state holds, without the lookups `HeapReader` adds. */
export interface HeapFields {
  readonly layout: Layout;
  readonly policy: Policy;
  /** The page limit, or null for none. */
  readonly maxPages: number | null;
  /** Families by registration index. */
  readonly families: ReadonlySortedMap<number, FamilyState>;
  /** Family index by name. */
  readonly familyIndex: ReadonlySortedMap<string, number>;
  /** Every allocated block by its id. */
  readonly live: ReadonlySortedMap<string, BlockState>;
  /** The next page id the kernel will hand out (starts at 1; never reused). */
  readonly nextPage: number;
  /** Pages in use: Σ count over all families' pages. */
  readonly pagesInUse: number;
  /** Σ size of all allocated blocks, in bytes. */
  readonly liveBytes: number;
  /** The next queue position stamp; below `ORDINAL_LIMIT` (stamps are renumbered when they reach it). */
  readonly nextQseq: number;
  /** The next single page's ordinal (`PageState.ord`); below `ORDINAL_LIMIT` likewise. */
  readonly nextOrd: number;
}

/**
 * The whole heap after some commands: immutable and structurally shared with the states
 * before it, and readable by `decide` (`HeapReader`). Build it with `initialState`, advance it
 * with `step` or `evolve`; `heapState` makes one of given fields.
 */
export interface HeapState extends HeapFields, HeapReader {}

/** Options of a new heap. */
export interface HeapOptions {
  readonly layout: Layout;
  readonly policy?: Policy;
  readonly maxPages?: number | null;
}

/**
 * Queue stamps and page ordinals stay below this bound: a draft renumbers them (keeping their
 * order) when the next one would reach it, which happens at most once per 2^33 page requests
 * or stamps and costs O(blocks) then. Below it every tree key of the engine is exact.
 */
export const ORDINAL_LIMIT = 2 ** 33;

/** Sizes of free blocks lie in 1…2^20 (a single page is at most 1 MiB). */
const SIZE_SPAN = 2 ** 20;

/**
 * The queue key of a free block: size descending, then queue stamp ascending (FIFO among
 * equal sizes). Exact (below 2^53) for sizes in 1…2^20 and stamps below `ORDINAL_LIMIT`.
 */
export function queueKey(size: number, qseq: number): number {
  return (SIZE_SPAN - size) * ORDINAL_LIMIT + qseq;
}

/** The smallest queue key a block of `size` bytes can have. */
export function queueKeyFloor(size: number): number {
  return (SIZE_SPAN - size) * ORDINAL_LIMIT;
}

/** Offsets of free blocks lie below 2^20 (they are in single pages). */
const OFFSET_SPAN = 2 ** 20;

/**
 * The walk key of a free block at `offset` in the single page of ordinal `ord`: ascending key
 * is the walk order `order` — `newest`: the page with the highest ordinal (the newest) first,
 * `address`: the lowest first; then by offset. Exact (below 2^53) for ordinals in
 * 1…`ORDINAL_LIMIT` − 1 and offsets below 2^20.
 */
export function walkKey(order: Exclude<WalkOrder, 'none'>, ord: number, offset: number): number {
  return (order === 'newest' ? ORDINAL_LIMIT - ord : ord) * OFFSET_SPAN + offset;
}

/** An empty heap with the given layout, policy (default worst-fit) and page limit (default none). */
export function initialState(options: HeapOptions): HeapState {
  return heapState({
    layout: options.layout,
    policy: options.policy ?? 'worst-fit',
    maxPages: options.maxPages ?? null,
    families: NumberTree.empty<FamilyState>(),
    familyIndex: StringTree.empty<number>(),
    live: StringTree.empty<BlockState>(),
    nextPage: 1,
    pagesInUse: 0,
    liveBytes: 0,
    nextQseq: 1,
    nextOrd: 1,
  });
}
