/**
 * @lmm/events — the engine as RxJS streams: commands in, facts and states out, and trace
 * files as cold, lazily read Observables of commands.
 */
export type { HeapStep } from './heapSteps.js';
export { heapSteps, heapFacts, heapStates } from './heapSteps.js';
export { ofType } from './ofType.js';
export { fromBatches } from './fromBatches.js';
export { traceCommands } from './traceCommands.js';
