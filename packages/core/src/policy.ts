/**
 * How `alloc` chooses a free block of a family (SPEC §1):
 * - `worst-fit`: the head of the free queue (the largest block, FIFO among equals);
 * - `best-fit`: the smallest block that fits, ties by queue order;
 * - `first-fit`: the first block that fits, walking pages in list order, blocks by offset.
 */
export type Policy = 'worst-fit' | 'best-fit' | 'first-fit';

/** Every policy, default first. */
export const POLICIES: readonly Policy[] = ['worst-fit', 'best-fit', 'first-fit'];

/** True when `text` names a policy. */
export function isPolicy(text: string): text is Policy {
  return text === 'worst-fit' || text === 'best-fit' || text === 'first-fit';
}
