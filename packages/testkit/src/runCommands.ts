import { initialState, step, type Fact, type HeapState } from '@lmm/core';
import type { RunOptions } from './scenario.js';

/** Everything a run did: the state before any command, the state after each, and each command's facts. */
export interface RunResult {
  /** The empty heap the run started from. */
  readonly initial: HeapState;
  /** `states[i]` is the state after command i (0-based); every one stays valid (persistence). */
  readonly states: readonly HeapState[];
  /** `facts[i]` is what command i produced. */
  readonly facts: readonly (readonly Fact[])[];
  /** The state after the last command (`initial` when there is none). */
  readonly final: HeapState;
}

/** Runs commands one `step` at a time from an empty heap of `options`, keeping every state. */
export function runCommands(options: RunOptions, commands: readonly unknown[]): RunResult {
  const initial = initialState(options);
  const states: HeapState[] = [];
  const facts: (readonly Fact[])[] = [];
  let state = initial;
  for (const command of commands) {
    const result = step(state, command);
    state = result.state;
    states.push(state);
    facts.push(result.facts);
  }
  return { initial, states, facts, final: state };
}
