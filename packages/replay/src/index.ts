/**
 * @lmm/replay — reading and writing what lmm runs on and produces: command traces (and,
 * through importers, real-program traces), fact logs; and replaying them.
 */
export { InputError } from './formats/inputError.js';
export type { LineChunk, ReadLinesOptions } from './formats/lines.js';
export { readLines, MAX_LINE_BYTES } from './formats/lines.js';
export type { TraceCommand } from './formats/commandTrace.js';
export { parseCommandLines } from './formats/commandTrace.js';
export type { TraceFormat, FamilyMapping, ReadTraceOptions } from './formats/trace.js';
export { readTrace } from './formats/trace.js';
export { traceBatches } from './formats/traceBatches.js';
export type { LogHeader, LineFact, ReadFactLogOptions } from './formats/factLog.js';
export { FACT_LOG_VERSION, makeHeader, headerLine, headerPolicyAfter, factLine, parseHeader, parseFact, readFactLog } from './formats/factLog.js';
export { encodeFactLine, FACT_LINE_ROOM } from './formats/factLineBytes.js';
export type { OpenedFactLog } from './formats/openFactLog.js';
export { openFactLog } from './formats/openFactLog.js';
export type { ConcreteTraceFormat } from './formats/detectFormat.js';
export { detectFormat } from './formats/detectFormat.js';
export { FamilyMapper } from './formats/familyMapping.js';
export type { ValgrindCounts } from './formats/valgrind.js';
export { ValgrindParser } from './formats/valgrind.js';
export type { RepHeader } from './formats/rep.js';
export { RepParser } from './formats/rep.js';
export type { TraceParser } from './formats/trace.js';
export { traceParser } from './formats/trace.js';
export { commandUnitProblem } from './log/commandUnit.js';
export { FactStore } from './log/factStore.js';
export type { FoldFactLogOptions } from './log/foldFactLog.js';
export { foldFactLog } from './log/foldFactLog.js';
export type { LineSink, ByteSink } from './log/factLogWriter.js';
export { FactLogWriter, isByteSink } from './log/factLogWriter.js';
export type { FoldLogOptions, FoldedLog } from './log/foldLog.js';
export { foldLog } from './log/foldLog.js';
export { Checkpoints } from './replay/checkpoints.js';
export type { LoadReplayOptions, ReplayMemory } from './replay/replayLog.js';
export { ReplayLog, DEFAULT_CHECKPOINT_EVERY, DEFAULT_MAX_CHECKPOINTS } from './replay/replayLog.js';
export type { StateChange, StateChangeKind, BlockField } from './diff/stateChange.js';
export { blockFieldsDiffering } from './diff/stateChange.js';
export { diffQueues, longestIncreasing } from './diff/queueDiff.js';
export { diffStates } from './diff/diff.js';
export { applyChanges } from './diff/applyChanges.js';
export type { Divergence, RunComparison } from './diff/compareRuns.js';
export { compareRuns, firstDivergence, jsonEqual } from './diff/compareRuns.js';
export { describeChange } from './diff/describeChange.js';
