import type { Observer } from 'rxjs';
import type { HeapState } from '@lmm/core';
import type { RunBatch } from '@lmm/events';
import { isByteSink, type ByteSink, type LineSink } from '../log/factLogWriter.js';
import { IndexBuilder, type IndexBuilderOptions } from './indexBuilder.js';
import { IndexFileSink, IndexWriteError } from './indexSinks.js';
import { indexPathOf, logSource } from './logIndex.js';

/** The line end byte. */
const LF = 0x0a;

/**
 * A tap (`tap(index)`, after the `FactLogWriter` tap) that writes the index of a fact log
 * while the log itself is written (`lmm run --facts LOG`): the log's lines go through
 * `lines(sink)`, which counts their bytes, so each batch's commands are found in the log
 * and fed to an `IndexBuilder`, whose checkpoints go to `LOG.idx`'s temporary file as they
 * are made. The run's batches must end at every checkpoint place (`cutEvery`:
 * `checkpointPlaces`). `finish`, once the log is whole at its final name, reads back the
 * log's header and last command to record their hashes and puts the index in place — the
 * index a checked fold of that log builds, byte for byte. Opening the index file fails with
 * an `IndexWriteError`; a write that fails later (a full disk) stops the index, not the log,
 * and `finish` reports it.
 */
export class LogIndexWriter implements Partial<Observer<RunBatch>> {
  private readonly sink: IndexFileSink;
  private readonly builder: IndexBuilder;
  /** Bytes of the log written so far, and where each line written since the last batch ends. */
  private bytes = 0;
  private ends: number[] = [];
  /** Bytes of the log written before the lines in `ends`. */
  private before = 0;
  private firstStart: number | undefined;
  private lastStart: number | undefined;

  /** For the log at `logPath` (a regular file, written through `lines`). */
  constructor(
    private readonly logPath: string,
    options: IndexBuilderOptions = {},
  ) {
    this.sink = new IndexFileSink(indexPathOf(logPath));
    this.builder = new IndexBuilder(this.sink, options);
  }

  /**
   * The sink the log's lines are written to: `inner`, each line's bytes counted on the way.
   * When `inner` lends its buffer (`ByteSink`), so does the sink returned, and the lines
   * encoded into it are found by their line ends, so the fact-log writer keeps writing bytes
   * instead of strings while the index is built.
   */
  lines(inner: LineSink): LineSink {
    const line = (text: string): void => {
      inner.line(text);
      this.bytes += Buffer.byteLength(text) + 1;
      this.ends.push(this.bytes);
    };
    if (!isByteSink(inner)) return { line };
    let from = 0;
    const bytes: ByteSink = {
      line,
      buffer: inner.buffer,
      room: (n: number) => (from = inner.room(n)),
      wrote: (end: number) => {
        const written = inner.buffer.subarray(from, end);
        for (let i = written.indexOf(LF); i >= 0; i = written.indexOf(LF, i + 1)) this.ends.push(this.bytes + i + 1);
        this.bytes += end - from;
        inner.wrote(end);
      },
    };
    return bytes;
  }

  /** A batch was run and its fact lines written: its commands' places in the log, its figures, and a checkpoint when one falls due. */
  next(b: RunBatch): void {
    const { ends } = this;
    // The batch's fact lines are the last ones written; any before them (the header) are not facts.
    const base = ends.length - b.facts.length;
    if (base < 0) throw new IndexWriteError(`the log's lines were not counted (${ends.length} lines for ${b.facts.length} facts)`);
    const stride = this.builder.stride;
    for (let i = 0; i < b.count; i++) {
      const k = i === 0 ? 0 : b.factEnds[i - 1]!;
      const start = base + k > 0 ? ends[base + k - 1]! : this.before;
      const cmd = b.first + i;
      this.firstStart ??= start;
      if ((cmd - 1) % stride === 0) {
        const seq = b.firstSeq - 1 + k;
        // lmm's own log: the header on line 1, then a line per fact.
        this.builder.entry(cmd, start, seq + 2, seq);
      }
      if (i === b.count - 1) this.lastStart = start;
    }
    this.ends = [];
    this.before = this.bytes;
    this.builder.batch(b);
  }

  /** Ends the index, once the log is whole at its path; `view` is the final state. `IndexWriteError` when the index cannot be written. */
  async finish(view: HeapState): Promise<void> {
    try {
      await this.builder.finish(view, await logSource(this.logPath, this.firstStart, this.lastStart, null));
    } catch (e) {
      this.sink.abort();
      throw e;
    }
    this.sink.commit();
  }

  /** Drops the index being written. */
  abort(): void {
    this.sink.abort();
  }
}
