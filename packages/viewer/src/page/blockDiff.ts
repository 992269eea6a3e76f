import type { HeapModel, ModelBlock, ModelPage } from '../model/heapModel.js';
import { blockKey } from './heapView.js';

/** No block marked. */
export const NO_BLOCKS: ReadonlySet<string> = new Set();

/**
 * The blocks that are not the same in two runs' heaps at one command, as `page:offset` keys
 * (`blockKey`) for each run: a block differs when the other heap has no block at the same
 * page and offset with the same size, gap, state (free or allocated) and id, in a page of
 * the same family and page count. Page ids are the same counter in both runs, so equal
 * pages line up. O(blocks of both heaps), no allocation per block beyond the keys returned.
 */
export function differingBlocks(a: HeapModel, b: HeapModel): [Set<string>, Set<string>] {
  return [oneSide(a, b), oneSide(b, a)];
}

/** The blocks of `m` that `other` does not have as they are. */
function oneSide(m: HeapModel, other: HeapModel): Set<string> {
  const pages = new Map<number, { readonly page: ModelPage; readonly family: string }>();
  for (const fam of other.families) for (const page of fam.pages) pages.set(page.id, { page, family: fam.name });
  const out = new Set<string>();
  for (const fam of m.families) {
    for (const page of fam.pages) {
      const there = pages.get(page.id);
      const same = there !== undefined && there.family === fam.name && there.page.count === page.count;
      const theirs = same ? there.page.blocks : [];
      let j = 0;
      for (const blk of page.blocks) {
        while (j < theirs.length && theirs[j]!.off < blk.off) j++;
        const t = theirs[j];
        if (t === undefined || t.off !== blk.off || !sameBlock(m, blk, other, t)) out.add(blockKey(page.id, blk.off));
      }
    }
  }
  return out;
}

function sameBlock(m: HeapModel, x: ModelBlock, other: HeapModel, y: ModelBlock): boolean {
  if (x.size !== y.size || x.gap !== y.gap || (x.id < 0) !== (y.id < 0)) return false;
  // Each run numbers its ids in its own table: compare the ids themselves.
  return x.id < 0 || m.run.ids.get(x.id) === other.run.ids.get(y.id);
}
