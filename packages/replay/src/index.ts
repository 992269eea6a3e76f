/**
 * @lmm/replay — reading and writing what lmm runs on and produces: command traces (and,
 * through importers, real-program traces), fact logs; and replaying them.
 */
export { InputError } from './inputError';
export type { LineChunk, ReadLinesOptions } from './lines';
export { readLines, MAX_LINE_BYTES } from './lines';
export type { TraceCommand } from './commandTrace';
export { parseCommandLines } from './commandTrace';
export type { TraceFormat, FamilyMapping, ReadTraceOptions } from './trace';
export { readTrace } from './trace';
export type { LogHeader, LineFact, ReadFactLogOptions } from './factLog';
export { FACT_LOG_VERSION, makeHeader, headerLine, factLine, parseHeader, parseFact, readFactLog } from './factLog';
export type { ConcreteTraceFormat } from './detectFormat';
export { detectFormat } from './detectFormat';
export { FamilyMapper } from './familyMapping';
export type { ValgrindCounts } from './valgrind';
export { ValgrindParser } from './valgrind';
export type { RepHeader } from './rep';
export { RepParser } from './rep';
export type { TraceParser } from './trace';
export { traceParser } from './trace';
export { commandUnitProblem } from './commandUnit';
export { FactStore } from './factStore';
export type { CommandVisitor } from './logFolder';
export { LogFolder } from './logFolder';
export type { FoldLogOptions, FoldedLog } from './foldLog';
export { foldLog } from './foldLog';
export { Checkpoints } from './checkpoints';
export type { LoadReplayOptions, ReplayMemory } from './replayLog';
export { ReplayLog, DEFAULT_CHECKPOINT_EVERY, DEFAULT_MAX_CHECKPOINTS } from './replayLog';
export type { StateChange, StateChangeKind, BlockField } from './stateChange';
export { blockDump, pageDump, queueDump, familyDump, blockFieldsDiffering } from './stateChange';
export type { MapDiffVisitor } from './mapDiff';
export { mapDiff } from './mapDiff';
export { diffQueues, longestIncreasing } from './queueDiff';
export { diffStates } from './diff';
export { applyChanges } from './applyChanges';
export type { Divergence, RunComparison } from './compareRuns';
export { compareRuns, firstDivergence, jsonEqual } from './compareRuns';
export { describeChange } from './describeChange';
