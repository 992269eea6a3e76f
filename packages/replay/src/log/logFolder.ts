import { Engine, FoldError, initialState, type Fact, type HeapState } from '@lmm/core';
import { commandUnitProblem } from './commandUnit.js';
import type { LineFact, LogHeader } from '../formats/factLog.js';
import { InputError } from '../formats/inputError.js';

/** Called after each command is folded: its number, its facts, and a read-only view of the state (valid during the call only). */
export type CommandVisitor = (cmd: number, facts: readonly Fact[], state: HeapState) => void;

/**
 * Folds a fact log's facts, pushed in log order, one whole command at a time (no decisions,
 * SPEC §2 inv. 10). Each command's facts are first checked to be one command
 * (`commandUnitProblem`), then applied together; a fact that does not fit the state
 * (`FoldError`), a command number that skips one, a command cut short, or a state above the
 * header's page limit is an InputError naming the file and line.
 */
export class LogFolder {
  private readonly engine: Engine;
  private pending: Fact[] = [];
  private lines: number[] = [];
  private cmd = 0;
  private lastLine = 0;

  constructor(
    readonly header: LogHeader,
    private readonly file: string,
    private readonly visit?: CommandVisitor,
  ) {
    this.engine = new Engine(initialState({ layout: header.layout, policy: header.policy, maxPages: header.maxPages }));
  }

  /** Commands folded so far. */
  get commands(): number {
    return this.cmd;
  }

  /** The command number the pending facts belong to (0 when none are pending). */
  get pendingCommand(): number {
    return this.pending.length === 0 ? 0 : this.cmd + 1;
  }

  /** Takes the next fact of the log; folds the command before it when this one starts a new command. */
  push({ fact, line }: LineFact): void {
    const next = this.cmd + 1;
    if (fact.cmd !== next) {
      if (fact.cmd === next + 1 && this.pending.length > 0) this.flush();
      else throw new InputError(this.file, line, fact.cmd <= this.cmd ? `fact of command ${fact.cmd} after command ${this.cmd} ended` : `fact cmd ${fact.cmd} skips command ${this.pending.length > 0 ? next + 1 : next} (every command has at least one fact)`);
    }
    this.pending.push(fact);
    this.lines.push(line);
    this.lastLine = line;
  }

  /** Folds the last command: call once the log has ended. */
  end(): void {
    if (this.pending.length > 0) this.flush();
  }

  /** The state after the commands folded so far (immutable). */
  state(): HeapState {
    return this.engine.snapshot();
  }

  private flush(): void {
    const facts = this.pending;
    const cmd = this.cmd + 1;
    const unit = commandUnitProblem(facts);
    if (unit) throw new InputError(this.file, this.lines[unit.index] ?? this.lastLine, `command ${cmd}: ${unit.reason}`);
    for (let i = 0; i < facts.length; i++) {
      try {
        this.engine.apply(facts[i]!);
      } catch (e) {
        if (e instanceof FoldError) throw new InputError(this.file, this.lines[i]!, `${facts[i]!.type} fact of command ${cmd} does not fold: ${e.message}`);
        throw e;
      }
    }
    const state = this.engine.peek();
    const { maxPages } = this.header;
    if (maxPages !== null && state.pagesInUse > maxPages) {
      throw new InputError(this.file, this.lines[0]!, `command ${cmd} takes ${state.pagesInUse} pages, above the header's page limit of ${maxPages}`);
    }
    this.cmd = cmd;
    this.pending = [];
    this.lines = [];
    this.visit?.(cmd, facts, state);
  }
}
