import type { HeapState, LoggedFact } from '@lmm/core';
import type { LogHeader } from '@lmm/replay';
import type { RunSeries } from '../model/series.js';

/** One command of a run and the facts it produced (as logged: with `seq` and `cmd`). */
export interface CommandFacts {
  readonly cmd: number;
  readonly facts: readonly LoggedFact[];
}

/** A run's state after one command, with what the page shows beside it. */
export interface StateAt {
  /** The command the state is after (0 = the empty heap). */
  readonly cmd: number;
  readonly state: HeapState;
  /** The facts of command `cmd` (none for command 0). */
  readonly facts: readonly LoggedFact[];
  /** Facts of commands 1…`cmd`: the `seq` of the last of them. */
  readonly factCount: number;
}

/**
 * A run as the served viewer (`lmm view --serve`) reads it: what the page asks on a seek,
 * without the server knowing where it comes from (a log folded into memory,
 * `ReplayRunSource`, or a seekable log on disk). Commands are numbered 1…`commands`; a
 * command outside 0…`commands` is a RangeError (the server checks the page's numbers first).
 */
export interface RunSource {
  /** The name the page shows (the file as the user gave it). */
  readonly name: string;
  readonly header: LogHeader;
  readonly commands: number;
  readonly facts: number;
  /** The run's chart series in at most `buckets` buckets, with min and max per bucket (no peak lost), and its exact peaks. */
  series(buckets: number): Promise<RunSeries>;
  /** The state after command `cmd` (0…commands) and that command's facts. */
  stateAt(cmd: number): Promise<StateAt>;
  /**
   * The commands `from`…`to` (default: to the end; both clamped to 1…commands) with their
   * facts, in order, a stretch at a time (the consumer may stop early).
   */
  commandsFrom(from: number, to?: number): AsyncIterable<readonly CommandFacts[]>;
  /** Lets go of what the source holds open (files). */
  close(): Promise<void>;
}
