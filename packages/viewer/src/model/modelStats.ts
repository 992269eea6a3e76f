import { statsFromSums, type FamilySums, type HeapStats } from '@lmm/core';
import type { HeapModel, ModelFamily } from './heapModel.js';

/**
 * The statistics of SPEC §3 for the viewer's model, in the core's `HeapStats` shape (tests
 * compare the two). O(blocks): the page shows one state at a time, so a scan is cheap.
 */

function sumFamily(fam: ModelFamily): FamilySums {
  let pages = 0, tbc = 0, fbc = 0, liveBytes = 0, freeBytes = 0, hardFragBytes = 0, softFragBytes = 0, largestFree = 0;
  for (const page of fam.pages) {
    pages += page.count;
    for (const b of page.blocks) {
      tbc++;
      if (b.id < 0) {
        fbc++;
        freeBytes += b.size;
        if (b.size < fam.size) softFragBytes += b.size;
        if (b.size > largestFree) largestFree = b.size;
      } else {
        liveBytes += b.size;
        hardFragBytes += b.gap;
      }
    }
  }
  const { pageRequests, avoidableGrowth } = fam;
  return { name: fam.name, size: fam.size, pages, tbc, fbc, liveBytes, freeBytes, hardFragBytes, softFragBytes, largestFree, pageRequests, avoidableGrowth };
}

/** Statistics of the model's current state: the total and each family in registration order. */
export function modelStats(model: HeapModel): HeapStats {
  const { pageSize, metaSize } = model.run.header.layout;
  return statsFromSums(model.families.map(sumFamily), pageSize, metaSize);
}
