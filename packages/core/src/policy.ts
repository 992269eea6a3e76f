/**
 * How `alloc` chooses a free block of a family (SPEC §1):
 * - `worst-fit`: the head of the free queue (the largest block, FIFO among equals);
 * - `best-fit`: the smallest block that fits, ties by queue order;
 * - `first-fit`: the first block that fits, walking pages in list order (newest first), blocks by offset;
 * - `address-first-fit`: the first block that fits in address order: pages by ascending id, blocks by offset.
 */
export type Policy = 'worst-fit' | 'best-fit' | 'first-fit' | 'address-first-fit';

/** Every policy, default first. */
export const POLICIES: readonly Policy[] = ['worst-fit', 'best-fit', 'first-fit', 'address-first-fit'];

/** True when `text` names a policy. */
export function isPolicy(text: string): text is Policy {
  return (POLICIES as readonly string[]).includes(text);
}

/**
 * The order in which a policy walks a family's free blocks, when it walks them at all: `newest`
 * for first fit (pages newest first), `address` for address-ordered first fit (oldest first),
 * `none` for the policies that choose from the free queue alone (no walk index is kept).
 */
export type WalkOrder = 'newest' | 'address' | 'none';

/** The walk order `policy` needs (see `WalkOrder`). */
export function walkOrder(policy: Policy): WalkOrder {
  switch (policy) {
    case 'first-fit':
      return 'newest';
    case 'address-first-fit':
      return 'address';
    case 'worst-fit':
    case 'best-fit':
      return 'none';
    default: {
      const never: never = policy;
      throw new Error(`unknown policy ${String(never)}`);
    }
  }
}

/** A what-if branch of a run (SPEC §5 `run --switch CMD:POLICY`): the commands after `cmd` run under `policy`. */
export interface PolicySwitch {
  /** The last command under the run's first policy (0: none). */
  readonly cmd: number;
  /** The policy of every command after it. */
  readonly policy: Policy;
}

/**
 * The policy in force after command `cmd` (0 = before any) of a run that starts under `start`
 * and switches by `change` (none when undefined): what the state after `cmd` names, and what
 * the next command runs under.
 */
export function policyAfter(start: Policy, change: PolicySwitch | undefined, cmd: number): Policy {
  return change !== undefined && cmd >= change.cmd ? change.policy : start;
}
