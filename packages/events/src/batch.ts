import type { Fact, HeapState } from '@lmm/core';

/** A command as a reader hands it over: any JSON value (`decide` judges it) and the source line it came from (0 when none). */
export interface SourcedCommand {
  readonly command: unknown;
  readonly line: number;
}

/** Commands read together, in order (one chunk of a file): the unit the pipeline moves. */
export type CommandBatch = readonly SourcedCommand[];

/**
 * The facts of one command as a fact log holds them: its 1-based command number, its facts
 * in order, the line of each fact, and the byte offset of its first fact line in the file
 * (-1 when not read from a file).
 */
export interface LoggedCommand {
  readonly cmd: number;
  readonly facts: readonly Fact[];
  readonly lines: readonly number[];
  readonly offset: number;
}

/** Commands of a fact log read together, in order. */
export type FactBatch = readonly LoggedCommand[];

/**
 * What the engine did with one batch of commands: every command's facts and the heap's size
 * after each, without a snapshot per command. `view` is the state after the batch's last
 * command, readable until the next batch is run; `snapshot()` makes it immutable.
 */
export interface RunBatch {
  /** The number (1-based, over the whole run) of the batch's first command. */
  readonly first: number;
  /** Commands in the batch (≥ 1). */
  readonly count: number;
  /** The `seq` (1-based, over the whole run) of `facts[0]`. */
  readonly firstSeq: number;
  /** Every fact of the batch's commands, in order; each command has at least one. */
  readonly facts: readonly Fact[];
  /** `factEnds[i]`: the index in `facts` after the last fact of command `first + i`. */
  readonly factEnds: Uint32Array;
  /** The source line of each command (0 when unknown). */
  readonly lines: readonly number[];
  /** Σ size of allocated blocks after each command, in bytes. */
  readonly liveBytes: Float64Array;
  /** Pages in use after each command. */
  readonly pages: Float64Array;
  /** 1 for a command whose page request was avoidable growth (SPEC §3 `avoidableGrowth`), else 0. */
  readonly avoidable: Uint8Array;
  /** The state after the batch's last command: read-only, valid only until the next batch runs. */
  readonly view: HeapState;
  /** The state after the batch's last command as an immutable snapshot (a commit of the engine's working copy). */
  snapshot(): HeapState;
}

/** The facts of command `first + i` of a batch. */
export function factsOf(batch: RunBatch, i: number): readonly Fact[] {
  return batch.facts.slice(i === 0 ? 0 : batch.factEnds[i - 1]!, batch.factEnds[i]!);
}
