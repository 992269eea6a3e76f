import type { Layout } from './layout.js';
import type { Policy } from './policy.js';
import type { BlockState, FamilyState, PageState } from './state.js';

/**
 * What `decide` reads of a heap: the scalars it checks against and four lookups. Both a
 * committed `HeapState` and an engine's working copy (`HeapDraft`) answer it; the working copy
 * answers from the records it keeps at hand since its last commit (O(1) on an engine's hot
 * path), a committed state from its persistent trees (O(log n)). Every answer is the heap as
 * it stands now: a reader never changes it.
 */
export interface HeapReader {
  readonly layout: Layout;
  /** The policy the next alloc chooses its block by. */
  readonly policy: Policy;
  /** The page limit, or null for none. */
  readonly maxPages: number | null;
  /** The id the next requested page run gets. */
  readonly nextPage: number;
  /** Pages in use: Σ count over all families' page runs. */
  readonly pagesInUse: number;
  /** The family registered under `name`, or undefined (names are case-sensitive). */
  familyNamed(name: string): FamilyState | undefined;
  /** The family of registration index `index`, or undefined. */
  familyAt(index: number): FamilyState | undefined;
  /** The allocated block of the live id `id`, or undefined when `id` is not live. */
  liveBlock(id: string): BlockState | undefined;
  /** The page run `page` of `family` (as this reader returned it), or undefined when it has none such. */
  pageOf(family: FamilyState, page: number): PageState | undefined;
}
