import { lastValueFrom, tap } from 'rxjs';
import type { HeapState, LoggedFact } from '@lmm/core';
import { PeakTap, upTo, type LoggedCommand, type RunBatch, type RunPeak } from '@lmm/events';
import type { LogHeader } from '../formats/factLog.js';
import { InputError } from '../formats/inputError.js';
import { openFactLog, type OpenedFactLog } from '../formats/openFactLog.js';
import { readFactLog } from '../formats/factLog.js';
import { foldFactLog } from '../log/foldFactLog.js';
import { emptyState } from './buildIndex.js';
import type { CheckpointEntry, PeakAt } from './indexFormat.js';
import { IndexUnusable, type LogIndex } from './logIndex.js';
import { buildLogIndex, openLogIndex, type OpenLogOptions } from './openLogIndex.js';
import { joinPeaks, NO_PEAK_AT, runPeakFrom } from './peakAt.js';

/** The state after a command and the peaks over the commands up to it. */
export interface StateAt {
  readonly state: HeapState;
  /** The peaks over commands 1…cmd and the first command each was reached at (as `PeakTap` gives them). */
  readonly peak: RunPeak;
}

/**
 * A fact log opened for seeking, backed by the file and its index (`LOG.idx`): opening reads
 * the index — building it first, with a full checked fold, when there is none or the one there
 * is stale, foreign or damaged — and never folds the log. `at(cmd)` reads the checkpoint at or
 * before `cmd` and folds the commands after it through `foldFactLog`, which checks them as
 * every fold does; memory stays bounded by one state and one chunk of the log, whatever the
 * log's length.
 */
export class SeekableLog {
  private constructor(
    /** The log as opened. */
    readonly path: string,
    /** The file as named in messages. */
    readonly file: string,
    /** The log's header: layout, policy (and switch), page limit. */
    readonly header: LogHeader,
    private index: LogIndex,
    private readonly options: OpenLogOptions,
  ) {}

  /**
   * Opens a fact log that is a regular file. Bad input is the InputError `foldLog` gives for
   * it (the log is read whole, and checked, only when its index is built).
   */
  static async open(path: string, options: OpenLogOptions = {}): Promise<SeekableLog> {
    const { index, header } = await openLogIndex(path, options);
    return new SeekableLog(path, options.displayName ?? path, header, index, options);
  }

  /** Commands in the log (up to its last whole command). Valid command numbers are 0…commands. */
  get commands(): number {
    return this.index.trailer.summary.commands;
  }

  /** Facts in the log. */
  get facts(): number {
    return this.index.trailer.summary.facts;
  }

  /** The run's peaks, with the first command after which each was reached (SPEC `--at peak-live|peak-heap`). */
  get peak(): RunPeak {
    return runPeakFrom(this.index.trailer.summary.peak, this.header.layout.pageSize);
  }

  /** The run's live bytes and pages in use, downsampled: `bucket` commands a bucket, and per bucket min live, max live, min pages, max pages. */
  get series(): { readonly bucket: number; readonly values: Float64Array } {
    return { bucket: this.index.trailer.series.bucket, values: this.index.series };
  }

  /** Where the log's first command begins (its size when it has none). */
  get headerEnd(): number {
    return this.index.trailer.source.headerEnd;
  }

  /** Checkpoints in the index. */
  get checkpoints(): readonly CheckpointEntry[] {
    return this.index.trailer.checkpoints;
  }

  /** A command at or before the one whose lines hold byte `offset` of the log, at most a stride of the offsets table before it (1 before the first). */
  commandAtOrBefore(offset: number): number {
    return this.index.commandAtOrBefore(offset);
  }

  private checkCmd(cmd: number): void {
    if (!Number.isInteger(cmd) || cmd < 0 || cmd > this.commands) throw new RangeError(`command ${cmd} is outside the log ${this.file} (0…${this.commands})`);
  }

  /**
   * The state after command `cmd` (0 = the empty heap, `commands` = the end) and the peaks over
   * commands 1…cmd. Reads one checkpoint and folds the commands after it (fewer than lie
   * between two checkpoints), checked by `foldFactLog`. Should that fold find the log at fault
   * — it changed under a valid-looking index — the index is built again, which is a checked
   * fold of the whole log and refuses it as `foldLog` does (or, if the log is sound after all,
   * the seek is made once more). A RangeError outside 0…commands.
   */
  async at(cmd: number): Promise<StateAt> {
    this.checkCmd(cmd);
    try {
      return await this.foldTo(cmd);
    } catch (e) {
      if (!(e instanceof InputError || e instanceof IndexUnusable)) throw e;
      await this.rebuild(e.message);
      this.checkCmd(cmd);
      return this.foldTo(cmd);
    }
  }

  /** The state after command `cmd` (see `at`). */
  async seek(cmd: number): Promise<HeapState> {
    return (await this.at(cmd)).state;
  }

  private async rebuild(why: string): Promise<void> {
    await this.index.close();
    this.index = await buildLogIndex(this.path, `the log does not match it: ${why}`, this.options);
  }

  private async foldTo(cmd: number): Promise<StateAt> {
    const cp = this.index.checkpointAtOrBefore(cmd);
    const from = cp?.cmd ?? 0;
    const start = cp === undefined ? emptyState(this.header) : await this.index.state(cp);
    const before: PeakAt = cp?.peak ?? NO_PEAK_AT;
    if (cmd === from) return { state: start, peak: runPeakFrom(before, this.header.layout.pageSize) };
    const peaks = new PeakTap(this.header.layout.pageSize);
    let last: RunBatch | undefined;
    const { batches } = await this.commandsAfter(from);
    await lastValueFrom(
      batches.pipe(
        upTo(cmd - from),
        foldFactLog(this.header, this.file, cp === undefined ? {} : { start: { cmd: from, state: start } }),
        tap((b) => {
          peaks.next(b);
          last = b;
        }),
      ),
      { defaultValue: undefined },
    );
    const reached = last === undefined ? from : last.first + last.count - 1;
    if (reached !== cmd) throw new IndexUnusable(`the log ends after command ${reached}, before command ${cmd}`);
    return { state: last!.snapshot(), peak: runPeakFrom(joinPeaks(before, peaks.peak), this.header.layout.pageSize) };
  }

  /** The log's commands after command `cmd` (0 or a multiple of the stride, as checkpoints are), read from the offsets-table entry of command `cmd + 1` on. */
  private commandsAfter(cmd: number): Promise<OpenedFactLog> {
    const entry = this.index.entryAtOrBefore(cmd + 1);
    if (entry.cmd !== cmd + 1) throw new IndexUnusable(`it has no entry for command ${cmd + 1}`);
    const from = { header: this.header, offset: entry.offset, line: entry.line, seq: entry.seq, cmd };
    return openFactLog(this.path, { ...this.readOptions(), from });
  }

  /** How the log is read after it was opened: named as opened, in the same chunks, with no warning (opening gave it). */
  private readOptions(): { displayName: string; chunkBytes?: number } {
    return this.options.chunkBytes === undefined ? { displayName: this.file } : { displayName: this.file, chunkBytes: this.options.chunkBytes };
  }

  /**
   * The commands `from`…`to` (1-based, inclusive) with their facts as the log holds them
   * (`seq`, `cmd` included), read from the offsets-table entry at or before `from`, parsed
   * and checked for shape and numbering (not folded: the index vouches for the fold): a
   * stream with one chunk of the log in memory at a time. An InputError when the log changed
   * under its index.
   */
  async *commandsFrom(from: number, to = this.commands): AsyncGenerator<LoggedCommand[]> {
    if (from > to) return;
    this.checkCmd(from);
    this.checkCmd(to);
    const entry = this.index.entryAtOrBefore(from);
    const position = { header: this.header, offset: entry.offset, line: entry.line, seq: entry.seq, cmd: entry.cmd - 1 };
    let reached = entry.cmd - 1;
    for await (const item of readFactLog(this.path, { ...this.readOptions(), from: position })) {
      if (!Array.isArray(item)) continue;
      const wanted: LoggedCommand[] = [];
      for (const { fact, line } of item) {
        if (fact.cmd < from || fact.cmd > to) continue;
        const group = wanted[wanted.length - 1];
        if (group?.cmd === fact.cmd) {
          (group.facts as LoggedFact[]).push(fact);
          (group.lines as number[]).push(line);
        } else wanted.push({ cmd: fact.cmd, facts: [fact], lines: [line], offset: -1 });
      }
      if (wanted.length > 0) yield wanted;
      reached = item.length > 0 ? item[item.length - 1]!.fact.cmd : reached;
      if (reached >= to) return;
    }
    throw new InputError(this.file, 0, `the log changed while it was read (it ends before command ${to}); read it again`);
  }

  /** The facts of command `cmd` (1…commands) as the log holds them. */
  async factsOf(cmd: number): Promise<LoggedFact[]> {
    for await (const batch of this.commandsFrom(cmd, cmd)) return [...(batch[0]!.facts as LoggedFact[])];
    throw new IndexUnusable(`command ${cmd} is not in the log`);
  }

  /** Releases the index file. */
  close(): Promise<void> {
    return this.index.close();
  }
}
