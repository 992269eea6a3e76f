import type { ReadonlySortedMap } from '@lmm/collections';
import type { Layout } from './layout.js';
import type { Policy } from './policy.js';
import type { BlockState, FamilyState, HeapFields, HeapState, PageState } from './state.js';

/**
 * A committed heap state made of its fields: immutable (the object is frozen, and the trees
 * it holds are committed versions), answering `HeapReader` from its trees in O(log n).
 * `initialState` and every commit of a working copy make theirs with it; so does anything that
 * rebuilds a state from its parts (a decoded checkpoint).
 */
export function heapState(fields: HeapFields): HeapState {
  return new CommittedHeap(fields);
}

class CommittedHeap implements HeapState {
  readonly layout: Layout;
  readonly policy: Policy;
  readonly maxPages: number | null;
  readonly families: ReadonlySortedMap<number, FamilyState>;
  readonly familyIndex: ReadonlySortedMap<string, number>;
  readonly live: ReadonlySortedMap<string, BlockState>;
  readonly nextPage: number;
  readonly pagesInUse: number;
  readonly liveBytes: number;
  readonly nextQseq: number;
  readonly nextOrd: number;

  constructor(f: HeapFields) {
    this.layout = f.layout;
    this.policy = f.policy;
    this.maxPages = f.maxPages;
    this.families = f.families;
    this.familyIndex = f.familyIndex;
    this.live = f.live;
    this.nextPage = f.nextPage;
    this.pagesInUse = f.pagesInUse;
    this.liveBytes = f.liveBytes;
    this.nextQseq = f.nextQseq;
    this.nextOrd = f.nextOrd;
    Object.freeze(this);
  }

  familyNamed(name: string): FamilyState | undefined {
    const index = this.familyIndex.get(name);
    return index === undefined ? undefined : this.families.get(index);
  }

  familyAt(index: number): FamilyState | undefined {
    return this.families.get(index);
  }

  liveBlock(id: string): BlockState | undefined {
    return this.live.get(id);
  }

  pageOf(family: FamilyState, page: number): PageState | undefined {
    return family.pages.get(page);
  }
}

