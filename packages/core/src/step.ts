import type { Command } from './command.js';
import { decide } from './decide.js';
import { HeapDraft } from './draft.js';
import { applyFact } from './evolve.js';
import type { Fact } from './fact.js';
import { parseCommand } from './parseCommand.js';
import type { Policy } from './policy.js';
import type { HeapState } from './state.js';

/** What one command did: its facts and the state after it. */
export interface StepResult {
  readonly state: HeapState;
  readonly facts: readonly Fact[];
}

/**
 * Reads any value as a command (`parseCommand`), decides it against a state and folds its
 * facts: the state after the command. O(log n).
 */
export function step(state: HeapState, input: unknown): StepResult {
  const command = parseCommand(input);
  if (!('op' in command)) return { state, facts: [command] };
  const facts = decide(state, command);
  if (facts[0]?.type === 'Rejected') return { state, facts };
  // The facts were decided against this very state: fold them without re-checking.
  const draft = new HeapDraft(state);
  for (const fact of facts) applyFact(draft, fact, false);
  return { state: draft.commit(), facts };
}

/**
 * Runs commands on one working copy written in place between snapshots (a transient): a long
 * trace runs at close to mutable speed, while every `snapshot()` is still an immutable,
 * structurally shared state (after one, the next writes copy what they touch once more).
 * Not for sharing between callers.
 */
export class Engine {
  private draft: HeapDraft;
  private sinceCommit = 0;
  private last: HeapState;

  constructor(initial: HeapState) {
    this.draft = new HeapDraft(initial);
    this.last = initial;
  }

  /** Reads any value as a command (`parseCommand`), decides and applies it; returns its facts. */
  execute(input: unknown): Fact[] {
    const command = parseCommand(input);
    return 'op' in command ? this.executeCommand(command) : [command];
  }

  /** Decides and applies a command as `parseCommand` passes it on; returns its facts. */
  executeCommand(command: Command): Fact[] {
    const facts = decide(this.draft, command);
    for (const fact of facts) {
      if (fact.type !== 'Rejected') {
        applyFact(this.draft, fact, false);
        this.sinceCommit++;
      }
    }
    return facts;
  }

  /**
   * Runs the commands that follow under `policy` (a what-if branch: SPEC §5 `run --switch`):
   * the state stays as it is but for its `policy`, and the walk index the new policy needs is
   * built from the current free blocks once, O(free blocks). Folding a fact log of such a run
   * calls it at the same command, so the folded state names the same policy.
   */
  setPolicy(policy: Policy): void {
    if (policy === this.draft.policy) return;
    this.draft.setPolicy(policy);
    this.sinceCommit++;
  }

  /** Applies one fact (as from a fact log) without deciding; throws `FoldError` when it does not fit. */
  apply(fact: Fact): void {
    if (fact.type === 'Rejected') return;
    applyFact(this.draft, fact);
    this.sinceCommit++;
  }

  /** The current state, immutable. O(1) when nothing changed since the last snapshot. */
  snapshot(): HeapState {
    if (this.sinceCommit > 0) {
      this.last = this.draft.commit();
      this.sinceCommit = 0;
    }
    return this.last;
  }

  /**
   * A read-only view of the current state, valid only until the next `execute` or `apply`:
   * for reading counters after every command without the cost of a snapshot.
   */
  peek(): HeapState {
    return this.draft;
  }
}

