import type { RejectionCode } from './rejection.js';

/** A family was registered. */
export interface RegisteredFact {
  readonly type: 'Registered';
  readonly family: string;
  readonly size: number;
}

/** The LMM took `count` VM pages from the kernel for a family; the run's id is `page`. */
export interface PageRequestFact {
  readonly type: 'PageRequest';
  readonly family: string;
  readonly page: number;
  readonly count: number;
}

/** How an allocation split its block: exact fit, hard or soft internal fragmentation, or a large run. */
export type Frag = 'none' | 'hard' | 'soft' | 'large';

/**
 * A data block of `size` bytes at meta offset `offset` of page `page` was allocated under `id`,
 * with `gap` bytes of hard internal fragmentation after it. On a realloc, `realloc` is true and
 * `from` names the old id.
 */
export interface AllocatedFact {
  readonly type: 'Allocated';
  readonly id: string;
  readonly family: string;
  readonly page: number;
  readonly offset: number;
  readonly size: number;
  readonly units: number;
  readonly frag: Frag;
  readonly gap: number;
  readonly realloc?: true;
  readonly from?: string;
}

/** The free block left after a free's merges, before any page release. */
export interface MergedBlock {
  readonly offset: number;
  readonly size: number;
}

/**
 * The block of `id` (`offset`, and `size` as allocated, without its gap) was freed;
 * `merged` is the free block that resulted. `realloc` marks the free half of a realloc.
 */
export interface FreedFact {
  readonly type: 'Freed';
  readonly id: string;
  readonly family: string;
  readonly page: number;
  readonly offset: number;
  readonly size: number;
  readonly merged: MergedBlock;
  readonly realloc?: true;
}

/** The run of `count` pages starting at id `page` went back to the kernel. */
export interface PageReleaseFact {
  readonly type: 'PageRelease';
  readonly family: string;
  readonly page: number;
  readonly count: number;
}

/** A command broke a rule of SPEC §1 and changed nothing. `command` is the input as given. */
export interface RejectedFact {
  readonly type: 'Rejected';
  readonly command: unknown;
  readonly code: RejectionCode;
  readonly message: string;
}

/** Everything that can happen to the heap: what `decide` produces and `evolve` folds. */
export type Fact = RegisteredFact | PageRequestFact | AllocatedFact | FreedFact | PageReleaseFact | RejectedFact;

/** The `type` of every fact. */
export type FactType = Fact['type'];

/** A fact as it stands in a fact log: numbered by `seq` (1, 2, …) and by `cmd`, the 1-based command that caused it. */
export type LoggedFact = Fact & { readonly seq: number; readonly cmd: number };
