import type { Policy } from './policy.js';
import { queueKeyFloor, type FamilyState, type QueueEntry } from './state.js';

/**
 * The free block of `fam` that `policy` picks for a request of `size` bytes, or undefined
 * when none fits (a page must then be requested). Worst and best fit cost O(log n) through
 * the free queue; first fit and address-ordered first fit through the walk index, which
 * finds the first free block in the policy's walk order that fits in O(log n) too.
 */
export function chooseBlock(policy: Policy, fam: FamilyState, size: number): QueueEntry | undefined {
  switch (policy) {
    case 'worst-fit': {
      const head = fam.queue.firstValue();
      return head !== undefined && head.size >= size ? head : undefined;
    }
    case 'best-fit': {
      // Keys below queueKeyFloor(size - 1) hold blocks of at least `size` bytes; the last of
      // them is the smallest such size, and the first entry of that size is earliest in the queue.
      const last = fam.queue.valueAtOrBelow(queueKeyFloor(size - 1), true);
      if (last === undefined) return undefined;
      return fam.queue.valueAtOrAbove(queueKeyFloor(last.size));
    }
    case 'first-fit':
    case 'address-first-fit':
      return fam.walk.firstFit(size);
    default: {
      const never: never = policy;
      throw new Error(`unknown policy ${String(never)}`);
    }
  }
}
