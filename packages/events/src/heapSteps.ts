import { defer, map, mergeMap, type OperatorFunction } from 'rxjs';
import { step, type HeapState, type LoggedFact } from '@lmm/core';

/** One command run against the heap: what it was, the facts it caused, and the state after it. */
export interface HeapStep {
  /** The command's 1-based number in the stream (the `cmd` of its facts). */
  readonly cmd: number;
  /** The command as it came (any value: `decide` rejects what is not a command). */
  readonly command: unknown;
  /** Its facts, numbered by `seq` (1, 2, … across the stream) and `cmd`; never empty. */
  readonly facts: readonly LoggedFact[];
  /** The state after it: immutable, structurally shared with the states before. */
  readonly state: HeapState;
}

/**
 * The engine as an operator: runs each command of the source (with core `step`, so every
 * emitted state is an immutable snapshot) and emits one `HeapStep` per command. Cold and
 * per subscription: each subscriber runs from `initial` with its own numbering. Errors
 * and completion of the source pass through.
 */
export function heapSteps(initial: HeapState): OperatorFunction<unknown, HeapStep> {
  return (commands) =>
    defer(() => {
      let state = initial;
      let cmd = 0;
      let seq = 0;
      return commands.pipe(
        map((command): HeapStep => {
          const result = step(state, command);
          state = result.state;
          cmd++;
          const facts = result.facts.map((fact): LoggedFact => ({ ...fact, seq: ++seq, cmd }));
          return { cmd, command, facts, state };
        }),
      );
    });
}

/** The fact stream of a command stream: every fact in order, with `seq` and `cmd` (SPEC §3). */
export function heapFacts(initial: HeapState): OperatorFunction<unknown, LoggedFact> {
  return (commands) => commands.pipe(heapSteps(initial), mergeMap((s) => s.facts));
}

/** The state stream of a command stream: the state after each command. */
export function heapStates(initial: HeapState): OperatorFunction<unknown, HeapState> {
  return (commands) => commands.pipe(heapSteps(initial), map((s) => s.state));
}
