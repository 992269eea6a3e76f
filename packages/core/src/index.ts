/**
 * @lmm/core — the heap as a pure, persistent reducer: `decide` turns a command into facts,
 * `evolve` folds facts into an immutable, structurally shared state (SPEC §1–§3).
 */
export type { Layout } from './layout';
export { LAYOUTS, maxAlloc, parseLayout, checkLayout, layoutName } from './layout';
export type { Policy } from './policy';
export { POLICIES, isPolicy } from './policy';
export type { Command, CommandOp, RegisterCommand, AllocCommand, FreeCommand, ReallocCommand } from './command';
export type {
  Fact,
  FactType,
  LoggedFact,
  Frag,
  MergedBlock,
  RegisteredFact,
  PageRequestFact,
  AllocatedFact,
  FreedFact,
  PageReleaseFact,
  RejectedFact,
} from './fact';
export type { RejectionCode } from './rejection';
export { REJECTION_CODES } from './rejection';
export type { ReadonlySortedMap, FirstFitIndex } from './sortedMap';
export type { EditToken } from './treeNode';
export { PersistentTree } from './persistentTree';
export { NumberTree } from './numberTree';
export { StringTree } from './stringTree';
export { FitTree } from './fitTree';
export type { TreeDiffVisitor } from './diffTrees';
export { diffTrees } from './diffTrees';
export type { HeapState, HeapOptions, FamilyState, PageState, BlockState, QueueEntry, LiveRef } from './state';
export { initialState, walkKey } from './state';
export { decide, MAX_REQUEST_BYTES } from './decide';
export { evolve, evolveAll } from './evolve';
export { FoldError } from './foldError';
export type { StepResult } from './step';
export { step, Engine } from './step';
export type { StateDump, FamilyDump, PageDump, BlockDump, QueueDump } from './dump';
export { toDump, dumpJson } from './dump';
export type { Stats, FamilyStats, HeapStats, Peak, StatSums, FamilySums } from './stats';
export { statsOf, statsFromSums, nextPeak, NO_PEAK } from './stats';
export { checkInvariants } from './invariants';
