import type { RunPeak } from '@lmm/events';
import type { PeakAt } from './indexFormat.js';

/** No peak yet: before command 1. */
export const NO_PEAK_AT: PeakAt = { liveBytes: 0, liveCmd: 0, pages: 0, pagesCmd: 0 };

/** The peaks of SPEC §3 (and the commands they were first reached at) from a `PeakAt`, as `PeakTap` gives them. */
export function runPeakFrom(p: PeakAt, pageSize: number): RunPeak {
  const heapBytes = p.pages * pageSize;
  return { liveBytes: p.liveBytes, heapBytes, pages: p.pages, utilization: heapBytes === 0 ? 0 : p.liveBytes / heapBytes, liveCmd: p.liveCmd, heapCmd: p.pagesCmd };
}

/**
 * The peaks over commands 1…n from those over 1…k (`before`) and those over k+1…n (`after`,
 * as a `PeakTap` that saw only those commands gives them): each peak is the larger, and the
 * first command it was reached at is the earlier run's when the later one only equals it.
 */
export function joinPeaks(before: PeakAt, after: RunPeak): PeakAt {
  const live = after.liveBytes > before.liveBytes;
  const pages = after.pages > before.pages;
  return {
    liveBytes: live ? after.liveBytes : before.liveBytes,
    liveCmd: live ? after.liveCmd : before.liveCmd,
    pages: pages ? after.pages : before.pages,
    pagesCmd: pages ? after.heapCmd : before.pagesCmd,
  };
}
