/**
 * @lmm/core — the heap as a pure, persistent reducer: `decide` turns a command into facts,
 * `evolve` folds facts into an immutable, structurally shared state (SPEC §1–§3).
 */
export type { Layout } from './layout.js';
export { LAYOUTS, maxAlloc, parseLayout, checkLayout, layoutName } from './layout.js';
export type { Policy } from './policy.js';
export type { WalkOrder, PolicySwitch } from './policy.js';
export { POLICIES, isPolicy, walkOrder, policyAfter } from './policy.js';
export type { Command, CommandOp, RegisterCommand, AllocCommand, FreeCommand, ReallocCommand } from './command.js';
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
} from './fact.js';
export type { FieldKind, OptionalKind, FactField, SchemaFact, SchemaAgreesWithFact } from './factSchema.js';
export { FACT_SCHEMA, FACT_TYPES, FACT_FIELDS, FRAGS, MERGED_FIELDS, isOptionalKind } from './factSchema.js';
export type { RejectionCode } from './rejection.js';
export { REJECTION_CODES } from './rejection.js';
export type { ReadonlySortedMap, FirstFitIndex } from '@lmm/collections';
export { heapState } from './heapState.js';
export type { HeapState, HeapFields, HeapOptions, FamilyState, PageState, BlockState, QueueEntry, LiveRef } from './state.js';
export { initialState, walkKey, queueKey, ORDINAL_LIMIT } from './state.js';
export { withPolicy } from './withPolicy.js';
export { parseCommand } from './parseCommand.js';
export type { HeapReader } from './heapReader.js';
export { decide, MAX_REQUEST_BYTES } from './decide.js';
export { evolve, evolveAll } from './evolve.js';
export { FoldError } from './foldError.js';
export type { StepResult } from './step.js';
export { step, Engine } from './step.js';
export type { StateDump, FamilyDump, PageDump, BlockDump, QueueDump } from './dump.js';
export { toDump, dumpJson, writeDump, blockDump, pageDump, queueDump, familyDump } from './dump.js';
export type { Stats, FamilyStats, HeapStats, Peak, StatSums, FamilySums } from './stats.js';
export { statsOf, familySums, statsFromSums, nextPeak, NO_PEAK, STATS_FIELDS } from './stats.js';
export { checkInvariants } from './invariants.js';
export { encodeState, decodeState, STATE_CODEC_VERSION } from './stateCodec.js';
export { ByteWriter, ByteReader } from './varint.js';
