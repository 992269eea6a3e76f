import type { FamilyStats, HeapStats, Stats } from '@lmm/core';
import type { HeapModel, ModelFamily } from './heapModel';

/**
 * The statistics of SPEC §3 for the viewer's model, in the core's `HeapStats` shape (tests
 * compare the two). O(blocks): the page shows one state at a time, so a scan is cheap.
 */

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

const zero = (): Sums => ({ pages: 0, tbc: 0, fbc: 0, liveBytes: 0, freeBytes: 0, hardFragBytes: 0, softFragBytes: 0, largestFree: 0 });

function sumFamily(fam: ModelFamily): Sums {
  const s = zero();
  for (const page of fam.pages) {
    s.pages += page.count;
    for (const b of page.blocks) {
      s.tbc++;
      if (b.id < 0) {
        s.fbc++;
        s.freeBytes += b.size;
        if (b.size < fam.size) s.softFragBytes += b.size;
        if (b.size > s.largestFree) s.largestFree = b.size;
      } else {
        s.liveBytes += b.size;
        s.hardFragBytes += b.gap;
      }
    }
  }
  return s;
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

/** Statistics of the model's current state: the total and each family in registration order. */
export function modelStats(model: HeapModel): HeapStats {
  const { pageSize, metaSize } = model.run.header.layout;
  const total = zero();
  const families: FamilyStats[] = [];
  for (const fam of model.families) {
    const s = sumFamily(fam);
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
