import { HeapDraft } from './draft.js';
import type { AllocatedFact, Fact, FreedFact, PageReleaseFact, PageRequestFact } from './fact.js';
import { FoldError } from './foldError.js';
import { maxAlloc } from './layout.js';
import type { BlockState, FamilyState, HeapState } from './state.js';

/**
 * Folds one fact into a state and returns the new state; the old one is untouched and
 * shares all unchanged structure with the new. O(log n) in the heap's size.
 * `Rejected` returns the same state. Throws `FoldError` when the fact does not fit.
 */
export function evolve(state: HeapState, fact: Fact): HeapState {
  if (fact.type === 'Rejected') return state;
  const draft = new HeapDraft(state);
  applyFact(draft, fact);
  return draft.commit();
}

/** Folds many facts with one working copy (faster than one `evolve` each); returns the final state. */
export function evolveAll(state: HeapState, facts: Iterable<Fact>): HeapState {
  const draft = new HeapDraft(state);
  let changed = false;
  for (const fact of facts) {
    if (fact.type === 'Rejected') continue;
    applyFact(draft, fact);
    changed = true;
  }
  return changed ? draft.commit() : state;
}

/**
 * Applies one fact to a working copy in place. Throws `FoldError` when it does not fit.
 * `checked` false skips the checks that only a fact from outside can fail: for facts that
 * `decide` just made against this very draft (the engine's own hot path). A fact that fails
 * a check leaves the draft as it was.
 */
export function applyFact(draft: HeapDraft, fact: Fact, checked = true): void {
  switch (fact.type) {
    case 'Registered':
      if (draft.familyIndex.has(fact.family)) throw new FoldError(`family '${fact.family}' is registered twice`);
      if (!Number.isInteger(fact.size) || fact.size < 1 || fact.size > maxAlloc(draft.layout)) {
        throw new FoldError(`family '${fact.family}' of ${fact.size} bytes cannot be registered in this layout`);
      }
      draft.addFamily(fact.family, fact.size);
      return;
    case 'PageRequest':
      return pageRequest(draft, fact);
    case 'Allocated':
      return allocated(draft, fact, checked);
    case 'Freed':
      return freed(draft, fact, checked);
    case 'PageRelease':
      return pageRelease(draft, fact);
    case 'Rejected':
      return;
    default: {
      const never: never = fact;
      throw new FoldError(`unknown fact type ${JSON.stringify((never as { type?: unknown }).type)}`);
    }
  }
}

function familyOf(draft: HeapDraft, name: string) {
  const fam = draft.familyRec(name);
  if (fam === undefined) throw new FoldError(`family '${name}' is not registered`);
  return fam;
}

function pageRequest(draft: HeapDraft, fact: PageRequestFact): void {
  const fam = familyOf(draft, fact.family);
  if (fact.page !== draft.nextPage) throw new FoldError(`page ${fact.page} requested where the next page id is ${draft.nextPage}`);
  if (!Number.isInteger(fact.count) || fact.count < 1) throw new FoldError(`page count ${fact.count} is not a positive integer`);
  const { pageSize, pageHeaderSize, metaSize } = draft.layout;
  draft.nextPage = fact.page + fact.count;
  const page = draft.addPage(fam, fact.page, fact.count);
  // A single page's block enters the queue; a large run's block waits for its Allocated.
  const size = fact.count * pageSize - pageHeaderSize - metaSize;
  draft.putBlock(fam, page, draft.newBlock(fam.index, fact.page, pageHeaderSize, size, true, 0, null, fact.count === 1 ? draft.stamp() : 0));
}

function allocated(draft: HeapDraft, fact: AllocatedFact, checked: boolean): void {
  const fam = familyOf(draft, fact.family);
  const page = draft.page(fam, fact.page);
  const block = page?.blocks.get(fact.offset);
  if (page === undefined || block === undefined || !block.free) {
    throw new FoldError(`no free block at page ${fact.page} offset ${fact.offset} of '${fact.family}' to allocate`);
  }
  const { metaSize } = draft.layout;
  const tail = block.size - fact.size - fact.gap;
  if (checked) checkAllocated(draft, fact, fam, page.count, block, tail);
  // A single page holding one free block was requested for this very block (no page stays so
  // between commands): growth that was avoidable when the free bytes before it sufficed.
  if (page.count === 1 && page.blocks.size === 1 && fam.freeBytes - block.size >= fact.size) fam.avoidableGrowth++;
  draft.dropBlock(fam, page, block, true);
  const taken = draft.changedBlock(page, block, fact.offset, fact.size, false, fact.gap, fact.id, 0);
  draft.putBlock(fam, page, taken);
  if (tail > 0) draft.putBlock(fam, page, draft.newBlock(fam.index, fact.page, fact.offset + metaSize + fact.size, tail - metaSize, true, 0, null, draft.stamp()));
  draft.live.set(fact.id, taken);
}

/** Throws `FoldError` unless an `Allocated` fact fits the free block it names. */
function checkAllocated(draft: HeapDraft, fact: AllocatedFact, fam: FamilyState, pageCount: number, block: BlockState, tail: number): void {
  const { metaSize } = draft.layout;
  const large = fact.frag === 'large';
  if (large !== pageCount > 1 || tail < 0 || (tail > 0 && (large || fact.gap !== 0 || tail <= metaSize))) {
    throw new FoldError(`allocation of ${fact.size} + gap ${fact.gap} bytes does not fit the ${block.size}-byte free block at page ${fact.page} offset ${fact.offset}`);
  }
  if (fact.id === '') throw new FoldError('an allocation without an id');
  if (draft.live.has(fact.id) && !(fact.realloc === true && fact.from === fact.id)) {
    throw new FoldError(`id '${fact.id}' is allocated twice`);
  }
  if (fact.size !== fact.units * fam.size) throw new FoldError(`${fact.units} units of '${fam.name}' are ${fact.units * fam.size} bytes, not ${fact.size}`);
  if (!large && fact.frag !== splitFrag(block.size - fact.size, metaSize, fam.size)) {
    throw new FoldError(`frag "${fact.frag}" does not match a ${block.size - fact.size}-byte remainder`);
  }
}

/** How a split with `rem` bytes left over is classified (SPEC §1). */
function splitFrag(rem: number, metaSize: number, structSize: number): AllocatedFact['frag'] {
  if (rem === 0) return 'none';
  if (rem <= metaSize) return 'hard';
  return rem - metaSize < structSize ? 'soft' : 'none';
}

function freed(draft: HeapDraft, fact: FreedFact, checked: boolean): void {
  const fam = familyOf(draft, fact.family);
  const page = draft.page(fam, fact.page);
  const block = page?.blocks.get(fact.offset);
  if (page === undefined || block === undefined || block.free || block.id !== fact.id || block.size !== fact.size) {
    throw new FoldError(`no block '${fact.id}' of ${fact.size} bytes at page ${fact.page} offset ${fact.offset} of '${fact.family}' to free`);
  }
  const { pageSize, pageHeaderSize, metaSize } = draft.layout;
  const { offset: mOff, size: mSize } = fact.merged;
  const mEnd = mOff + metaSize + mSize;
  // Every block inside the merged range goes: at most the freed block and its two neighbours.
  let prev = page.blocks.valueAtOrBelow(fact.offset, true);
  if (prev !== undefined && prev.offset < mOff) prev = undefined;
  let next = page.blocks.valueAtOrAbove(fact.offset, true);
  if (next !== undefined && next.offset >= mEnd) next = undefined;
  const whole = mOff === pageHeaderSize && mEnd === page.count * pageSize;
  // A large run holds its one block alone, which fills the run with its gap: tiling it is the whole run.
  if (checked && !tiles(mOff, mEnd, metaSize, prev, block, next)) {
    throw new FoldError(`merged block at offset ${mOff} of ${mSize} bytes does not match page ${fact.page}`);
  }
  // A free block may not border the merged one: a free merges with its free neighbours (SPEC §2).
  if (checked && (page.blocks.valueAtOrBelow(mOff, true)?.free === true || page.blocks.get(mEnd)?.free === true)) {
    throw new FoldError(`merged block at offset ${mOff} of ${mSize} bytes leaves a free neighbour unmerged in page ${fact.page}`);
  }
  // The live map holds the block record itself; only a realloc onto its own id has already
  // pointed the id at the new block, which must stay.
  const dropsId = fact.realloc !== true || draft.live.get(fact.id) === block;
  // The survivor takes the first block's entry in the page (at mOff); the others leave it.
  if (prev !== undefined) draft.dropBlock(fam, page, prev, true);
  draft.dropBlock(fam, page, block, prev === undefined);
  if (next !== undefined) draft.dropBlock(fam, page, next);
  // The survivor enters the queue unless it fills its page (the page is released next).
  draft.putBlock(fam, page, draft.changedBlock(page, block, mOff, mSize, true, 0, null, whole ? 0 : draft.stamp()));
  if (dropsId) draft.live.delete(fact.id);
}

/** True when the free `prev`, the freed `block` and the free `next` (either may be absent) tile [mOff, mEnd) exactly. */
function tiles(mOff: number, mEnd: number, metaSize: number, prev: BlockState | undefined, block: BlockState, next: BlockState | undefined): boolean {
  let cursor = mOff;
  for (const b of [prev, block, next]) {
    if (b === undefined) continue;
    if (b.offset !== cursor || (b !== block && !b.free)) return false;
    cursor = b.offset + metaSize + b.size + b.gap;
  }
  return cursor === mEnd;
}

function pageRelease(draft: HeapDraft, fact: PageReleaseFact): void {
  const fam = familyOf(draft, fact.family);
  const page = draft.page(fam, fact.page);
  const only = page?.blocks.size === 1 ? page.blocks.get(draft.layout.pageHeaderSize) : undefined;
  if (page === undefined || page.count !== fact.count || only === undefined || !only.free) {
    throw new FoldError(`page ${fact.page} (${fact.count}) of '${fact.family}' is not an empty page to release`);
  }
  draft.dropBlock(fam, page, only);
  draft.dropPage(fam, page);
}
