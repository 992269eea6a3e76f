/**
 * @lmm/events — the engine as RxJS streams: commands in, facts and states out, and trace
 * files as cold, lazily read Observables of commands.
 */
export type { HeapStep } from './heapSteps';
export { heapSteps, heapFacts, heapStates } from './heapSteps';
export { ofType } from './ofType';
export { fromBatches } from './fromBatches';
export { traceCommands } from './traceCommands';
