import type { FamilyState, HeapState } from './state.js';

/** The statistics of SPEC §3 for one family or the whole heap. Bytes unless said. */
export interface Stats {
  /** Σ count of page runs. */
  readonly pages: number;
  /** pages × pageSize. */
  readonly heapBytes: number;
  /** Total, free and occupied block counts. */
  readonly tbc: number;
  readonly fbc: number;
  readonly obc: number;
  /** Σ size of allocated blocks. */
  readonly liveBytes: number;
  /** Σ (size + metaSize) of allocated blocks, as the C reference prints it. */
  readonly appMemUsage: number;
  /** Σ size of free blocks. */
  readonly freeBytes: number;
  /** Σ gap of allocated blocks (large runs' tails included). */
  readonly hardFragBytes: number;
  /** Σ size of free blocks smaller than their family's struct size. */
  readonly softFragBytes: number;
  /** The largest free block's size; 0 when none. */
  readonly largestFree: number;
  /** 1 − largestFree / freeBytes; 0 when nothing is free. */
  readonly externalFrag: number;
  /** liveBytes / heapBytes; 0 when no page is in use. */
  readonly utilization: number;
  /** PageRequest facts so far in the run (a count, not bytes). */
  readonly pageRequests: number;
  /**
   * Page requests for an ordinary (not large) block made while the family's free bytes just
   * before the request were at least the requested size: growth that fragmentation forced.
   */
  readonly avoidableGrowth: number;
}

/**
 * The fields of `Stats` in declaration order (SPEC §3's order): for writers that print every
 * statistic as a column (`lmm compare --csv`'s `final.` columns). Checked at compile time to
 * name each field of `Stats` exactly once.
 */
export const STATS_FIELDS = [
  'pages',
  'heapBytes',
  'tbc',
  'fbc',
  'obc',
  'liveBytes',
  'appMemUsage',
  'freeBytes',
  'hardFragBytes',
  'softFragBytes',
  'largestFree',
  'externalFrag',
  'utilization',
  'pageRequests',
  'avoidableGrowth',
] as const satisfies readonly (keyof Stats)[];
// Every field of Stats is listed: a field added to Stats and not here fails to compile.
const statsFieldsComplete: Exclude<keyof Stats, (typeof STATS_FIELDS)[number]> extends never ? true : never = true;
void statsFieldsComplete;

/** A family's statistics, with its name and struct size first. */
export type FamilyStats = { readonly name: string; readonly size: number } & Stats;

/** Statistics of a state: the total and each family in registration order. */
export interface HeapStats {
  readonly total: Stats;
  readonly families: readonly FamilyStats[];
}

/** Raw sums over blocks, from which `statsFromSums` derives the statistics. Bytes unless said. */
export interface StatSums {
  /** Σ count of page runs. */
  readonly pages: number;
  /** Blocks, and free blocks among them. */
  readonly tbc: number;
  readonly fbc: number;
  readonly liveBytes: number;
  readonly freeBytes: number;
  readonly hardFragBytes: number;
  readonly softFragBytes: number;
  /** The largest free block; 0 when none. */
  readonly largestFree: number;
  /** Running counts of the run so far (see `Stats`). */
  readonly pageRequests: number;
  readonly avoidableGrowth: number;
}

/** A family's sums with its name and struct size. */
export type FamilySums = { readonly name: string; readonly size: number } & StatSums;

function finish(s: StatSums, pageSize: number, metaSize: number): Stats {
  const heapBytes = s.pages * pageSize;
  const obc = s.tbc - s.fbc;
  return {
    pages: s.pages,
    heapBytes,
    tbc: s.tbc,
    fbc: s.fbc,
    obc,
    liveBytes: s.liveBytes,
    appMemUsage: s.liveBytes + obc * metaSize,
    freeBytes: s.freeBytes,
    hardFragBytes: s.hardFragBytes,
    softFragBytes: s.softFragBytes,
    largestFree: s.largestFree,
    externalFrag: s.freeBytes === 0 ? 0 : 1 - s.largestFree / s.freeBytes,
    utilization: heapBytes === 0 ? 0 : s.liveBytes / heapBytes,
    pageRequests: s.pageRequests,
    avoidableGrowth: s.avoidableGrowth,
  };
}

/**
 * The statistics of SPEC §3 from each family's raw sums (in registration order): derived
 * figures per family and for the total. Shared by the engine (running counters) and the
 * viewer's own model (a scan), so both compute them one way.
 */
export function statsFromSums(families: readonly FamilySums[], pageSize: number, metaSize: number): HeapStats {
  const total = { pages: 0, tbc: 0, fbc: 0, liveBytes: 0, freeBytes: 0, hardFragBytes: 0, softFragBytes: 0, largestFree: 0, pageRequests: 0, avoidableGrowth: 0 };
  const out: FamilyStats[] = [];
  for (const s of families) {
    out.push({ name: s.name, size: s.size, ...finish(s, pageSize, metaSize) });
    total.pages += s.pages;
    total.tbc += s.tbc;
    total.fbc += s.fbc;
    total.liveBytes += s.liveBytes;
    total.freeBytes += s.freeBytes;
    total.hardFragBytes += s.hardFragBytes;
    total.softFragBytes += s.softFragBytes;
    total.largestFree = Math.max(total.largestFree, s.largestFree);
    total.pageRequests += s.pageRequests;
    total.avoidableGrowth += s.avoidableGrowth;
  }
  return { total: finish(total, pageSize, metaSize), families: out };
}

/**
 * One family's sums, from the running counters it keeps (its largest free block is the head
 * of its free queue). O(log n) for that head, O(1) for the rest.
 */
export function familySums(fam: FamilyState): FamilySums {
  const head = fam.queue.getPairOrNextHigher(0);
  return {
    name: fam.name,
    size: fam.size,
    pages: fam.pageCount,
    tbc: fam.blockCount,
    fbc: fam.freeCount,
    liveBytes: fam.liveBytes,
    freeBytes: fam.freeBytes,
    hardFragBytes: fam.gapBytes,
    softFragBytes: fam.softBytes,
    largestFree: head === undefined ? 0 : head[1].size,
    pageRequests: fam.pageRequests,
    avoidableGrowth: fam.avoidableGrowth,
  };
}

/** The statistics of a state. O(families): every family keeps running counters. */
export function statsOf(state: HeapState): HeapStats {
  const sums: FamilySums[] = [];
  for (const fam of state.families.values()) sums.push(familySums(fam));
  return statsFromSums(sums, state.layout.pageSize, state.layout.metaSize);
}

/** The peaks of a run (malloc-lab's measure): the largest live and heap bytes seen after any command. */
export interface Peak {
  readonly liveBytes: number;
  readonly heapBytes: number;
  /** peakLiveBytes / peakHeapBytes; 0 before any page. */
  readonly utilization: number;
}

/** No peak yet. */
export const NO_PEAK: Peak = { liveBytes: 0, heapBytes: 0, utilization: 0 };

/** The peak after one more command's state; returns `peak` itself when nothing grew. O(1). */
export function nextPeak(peak: Peak, state: HeapState): Peak {
  const live = state.liveBytes;
  const heap = state.pagesInUse * state.layout.pageSize;
  if (live <= peak.liveBytes && heap <= peak.heapBytes) return peak;
  const liveBytes = Math.max(live, peak.liveBytes);
  const heapBytes = Math.max(heap, peak.heapBytes);
  return { liveBytes, heapBytes, utilization: heapBytes === 0 ? 0 : liveBytes / heapBytes };
}
