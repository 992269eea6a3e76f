import type { FamilyState, HeapState } from './state';

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
}

/** A family's statistics, with its name and struct size first. */
export type FamilyStats = { readonly name: string; readonly size: number } & Stats;

/** Statistics of a state: the total and each family in registration order. */
export interface HeapStats {
  readonly total: Stats;
  readonly families: readonly FamilyStats[];
}

interface Sums {
  pages: number;
  tbc: number;
  fbc: number;
  liveBytes: number;
  freeBytes: number;
  hardFragBytes: number;
  softFragBytes: number;
  largestFree: number;
}

function sumsOf(fam: FamilyState): Sums {
  const head = fam.queue.getPairOrNextHigher(0);
  return {
    pages: fam.pageCount,
    tbc: fam.blockCount,
    fbc: fam.freeCount,
    liveBytes: fam.liveBytes,
    freeBytes: fam.freeBytes,
    hardFragBytes: fam.gapBytes,
    softFragBytes: fam.softBytes,
    largestFree: head === undefined ? 0 : head[1].size,
  };
}

function finish(s: Sums, pageSize: number, metaSize: number): Stats {
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
  };
}

/** The statistics of a state. O(families): every family keeps running counters. */
export function statsOf(state: HeapState): HeapStats {
  const { pageSize, metaSize } = state.layout;
  const total: Sums = { pages: 0, tbc: 0, fbc: 0, liveBytes: 0, freeBytes: 0, hardFragBytes: 0, softFragBytes: 0, largestFree: 0 };
  const families: FamilyStats[] = [];
  for (const fam of state.families.values()) {
    const s = sumsOf(fam);
    families.push({ name: fam.name, size: fam.size, ...finish(s, pageSize, metaSize) });
    total.pages += s.pages;
    total.tbc += s.tbc;
    total.fbc += s.fbc;
    total.liveBytes += s.liveBytes;
    total.freeBytes += s.freeBytes;
    total.hardFragBytes += s.hardFragBytes;
    total.softFragBytes += s.softFragBytes;
    total.largestFree = Math.max(total.largestFree, s.largestFree);
  }
  return { total: finish(total, pageSize, metaSize), families };
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
