import { concatMap, map, type OperatorFunction } from 'rxjs';
import type { HeapState, LoggedFact } from '@lmm/core';
import { runCommands } from './runCommands.js';

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
 * The engine as an operator for people who want a state after every command: each command
 * of the source goes through `runCommands` as a batch of its own, and its step carries an
 * immutable snapshot (a commit per command: use `runCommands` on batches for long runs).
 * Cold and per subscription; errors and completion of the source pass through.
 */
export function heapSteps(initial: HeapState): OperatorFunction<unknown, HeapStep> {
  return (commands) => {
    let last: unknown;
    return commands.pipe(
      map((command) => {
        last = command;
        return [{ command, line: 0 }];
      }),
      runCommands(initial),
      map((b): HeapStep => ({ cmd: b.first, command: last, facts: b.facts.map((f, i): LoggedFact => ({ ...f, seq: b.firstSeq + i, cmd: b.first })), state: b.snapshot() })),
    );
  };
}

/** The fact stream of a command stream: every fact in order, with `seq` and `cmd` (SPEC §3). */
export function heapFacts(initial: HeapState): OperatorFunction<unknown, LoggedFact> {
  return (commands) => commands.pipe(heapSteps(initial), concatMap((s) => s.facts));
}

/** The state stream of a command stream: the state after each command. */
export function heapStates(initial: HeapState): OperatorFunction<unknown, HeapState> {
  return (commands) => commands.pipe(heapSteps(initial), map((s) => s.state));
}
