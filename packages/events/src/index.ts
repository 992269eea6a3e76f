/**
 * @lmm/events — the spine of lmm: the engine as RxJS operators over batches of commands (or
 * of a fact log's commands), emitting what each batch did without a snapshot per command, and
 * taps that follow a run (peaks, rejections). `lmm run`, replay, the viewer's loader and
 * `lmm compare` are compositions of these; `heapSteps` gives a state per command on top.
 */
export type { SourcedCommand, CommandBatch, LoggedCommand, FactBatch, RunBatch } from './batch.js';
export { factsOf } from './batch.js';
export { runBatches, cutsEvery } from './runBatches.js';
export type { RunCommandsOptions } from './runCommands.js';
export { runCommands, runOnEngine } from './runCommands.js';
export { upTo } from './upTo.js';
export type { RunPeak } from './peakTap.js';
export { PeakTap } from './peakTap.js';
export { RejectionTap } from './rejectionTap.js';
export type { HeapStep } from './heapSteps.js';
export { heapSteps, heapFacts, heapStates } from './heapSteps.js';
export { ofType } from './ofType.js';
export { fromBatches } from './fromBatches.js';
export { fromAsync } from './fromAsync.js';
