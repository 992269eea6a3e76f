import { FitTree, NumberTree } from '@lmm/collections';
import type { FamilyRec, HeapDraft } from './draft.js';
import { queueKey, walkKey, type QueueEntry } from './state.js';

/**
 * Builds a writable family's walk index anew from its free blocks, in the draft's current
 * walk order (`HeapDraft.walkOrder`); empty when the policy walks none. O(blocks of the
 * family): for a policy switch and for renumbered page ordinals, never on the hot path.
 */
export function rebuildWalk(draft: HeapDraft, fam: FamilyRec): void {
  const order = draft.walkOrder();
  fam.walk = FitTree.empty<QueueEntry>(draft.editToken());
  if (order === 'none' || fam.freeCount === 0) return;
  const keys: number[] = [];
  const vals: QueueEntry[] = [];
  // Ascending keys: `newest` walks pages from the highest ordinal down, `address` up; blocks by offset.
  const pages = order === 'newest' ? [...fam.pages.values()].reverse() : fam.pages.values();
  for (const page of pages) {
    if (page.count !== 1) continue;
    for (const block of page.blocks.values()) {
      if (!block.free || block.qseq === 0) continue;
      keys.push(walkKey(order, page.ord, block.offset));
      vals.push(block);
    }
  }
  fam.walk.load(keys, vals);
}

/**
 * Gives every family's single pages the ordinals 1, 2, … in ascending page id (their order
 * is all that walk keys use), rebuilds the walk indexes on them and sets `nextOrd` past the
 * largest. Called when `nextOrd` reaches `ORDINAL_LIMIT`: O(blocks), once per 2^33 pages.
 */
export function renumberPages(draft: HeapDraft): void {
  let next = 1;
  for (const index of [...draft.families.keys()]) {
    const fam = draft.family(index)!;
    let ord = 1;
    for (const id of [...fam.pages.keys()]) {
      const page = draft.page(fam, id)!;
      if (page.count === 1) page.ord = ord++;
    }
    rebuildWalk(draft, fam);
    next = Math.max(next, ord);
  }
  draft.nextOrd = next;
}

/**
 * Gives every family's queued free blocks the stamps 1, 2, … in queue order (their order is
 * all that queue keys use), as new block records in their pages, queue and walk index, and
 * sets `nextQseq` past the largest. Called when `nextQseq` reaches `ORDINAL_LIMIT`:
 * O(blocks), once per 2^33 stamps. A block taken out of its page mid-fact (not in the queue
 * then) keeps its record; its next stamp comes after these.
 */
export function renumberStamps(draft: HeapDraft): void {
  let next = 1;
  for (const index of [...draft.families.keys()]) {
    const fam = draft.family(index)!;
    const keys: number[] = [];
    const vals: QueueEntry[] = [];
    let stamp = 1;
    for (const entry of [...fam.queue.values()]) {
      const page = draft.page(fam, entry.page)!;
      const block = page.blocks.get(entry.offset)!;
      const renamed = draft.newBlock(block.family, block.page, block.offset, block.size, true, 0, null, stamp);
      page.blocks.set(block.offset, renamed);
      keys.push(queueKey(renamed.size, stamp++));
      vals.push(renamed);
    }
    fam.queue = NumberTree.empty<QueueEntry>(draft.editToken());
    fam.queue.load(keys, vals);
    rebuildWalk(draft, fam);
    next = Math.max(next, stamp);
  }
  draft.nextQseq = next;
}
