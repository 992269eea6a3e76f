import type { HeapState, LoggedFact } from '@lmm/core';
import type { SnapshotFamily } from '../model/heapModel.js';
import type { OpeningState } from '../model/openingState.js';

/**
 * A core state as the page draws it: the state after command `cmd` turned into the page's
 * own snapshot (`ModelSnapshot`, what `HeapModel.restore` takes), the ids of its allocated
 * blocks, and the facts of that command — the same `OpeningState` a self-contained page
 * carries for its first picture, so a served page draws any command the way it draws that
 * one. Ids are numbered 0… in the order their blocks come (families, pages ascending,
 * offsets); queue stamps are renumbered 1… in their order (the page needs only their order,
 * and they then fit its 32-bit columns however long the run). `facts`: the
 * facts up to and including command `cmd` (the snapshot's fact count). O(blocks).
 */
export function pageStateOf(state: HeapState, cmd: number, commandFacts: readonly LoggedFact[], facts: number): OpeningState {
  const families: SnapshotFamily[] = [];
  let nPages = 0;
  let nBlocks = 0;
  for (const fam of state.families.values()) {
    families.push({ table: fam.index, name: fam.name, size: fam.size, pageRequests: fam.pageRequests, avoidableGrowth: fam.avoidableGrowth });
    nPages += fam.pages.size;
    nBlocks += fam.blockCount;
  }
  const pages = new Float64Array(nPages * 4);
  const blocks = new Uint32Array(nBlocks * 5);
  /** Each block's queue stamp as the core has it (up to 2^33): renumbered below. */
  const stamps = new Float64Array(nBlocks);
  const ids = new Map<number, string>();
  let pi = 0;
  let bi = 0;
  for (const fam of state.families.values()) {
    for (const page of fam.pages.values()) {
      pages[pi++] = page.page;
      pages[pi++] = page.count;
      pages[pi++] = fam.index;
      pages[pi++] = page.blocks.size;
      for (const b of page.blocks.values()) {
        stamps[bi / 5] = b.qseq;
        blocks[bi++] = b.offset;
        blocks[bi++] = b.size;
        blocks[bi++] = b.gap;
        if (b.id === null) blocks[bi++] = 0;
        else {
          blocks[bi++] = ids.size + 1;
          ids.set(ids.size, b.id);
        }
        blocks[bi++] = 0;
      }
    }
  }
  if (bi !== blocks.length) throw new RangeError(`pageStateOf: ${bi / 5} blocks where the families count ${nBlocks}`);
  // Stamps are unique in a heap, so their rank keeps every family's queue order.
  const sorted = stamps.filter((q) => q > 0).sort();
  for (let i = 0; i < stamps.length; i++) if (stamps[i]! > 0) blocks[5 * i + 4] = rankOf(sorted, stamps[i]!);
  return { cmd, snapshot: { facts, nextQseq: sorted.length + 1, families, pages, blocks }, ids, facts: commandFacts };
}

/** The place (1…) of `value` in the ascending `sorted`, which holds it. */
function rankOf(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}
