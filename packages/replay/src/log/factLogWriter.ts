import type { Observer } from 'rxjs';
import type { RunBatch } from '@lmm/events';
import { factLine, headerLine, type LogHeader } from '../formats/factLog.js';
import { encodeFactLine, FACT_LINE_ROOM } from '../formats/factLineBytes.js';

/** Where a fact log's lines go: one call per line, without its line end. */
export interface LineSink {
  line(text: string): void;
}

/**
 * A line sink that buffers UTF-8 and lends its buffer, so a writer can encode lines into it
 * without making strings: `room(n)` makes room for at least `n` bytes (writing out what is
 * buffered when needed) and returns the offset in `buffer` they start at (the bytes from
 * there to `buffer.length` are free); `wrote(end)` then takes the bytes up to `end` (line
 * ends included) as written. `line` may still be called between those pairs.
 */
export interface ByteSink extends LineSink {
  /** The sink's buffer: the same array for the sink's life. */
  readonly buffer: Uint8Array;
  /** Room for `n` bytes (at most `buffer.length`); returns where they start. */
  room(n: number): number;
  /** The bytes of `buffer` from the offset `room` returned up to `end` are written. */
  wrote(end: number): void;
}

/** True when `sink` lends its buffer (`ByteSink`). */
export function isByteSink(sink: LineSink): sink is ByteSink {
  const s = sink as Partial<ByteSink>;
  return s.buffer instanceof Uint8Array && typeof s.room === 'function' && typeof s.wrote === 'function';
}

/**
 * A tap (`tap(writer)`) that writes a run as a fact log (SPEC §3): the header line at once,
 * then one line per fact of every batch, numbered by `seq` and `cmd`. Into a `ByteSink` the
 * fact lines are encoded as bytes straight into its buffer (`encodeFactLine`, the same bytes
 * as `factLine`); other sinks get one string per line.
 */
export class FactLogWriter implements Partial<Observer<RunBatch>> {
  private readonly bytes: ByteSink | undefined;

  constructor(
    private readonly sink: LineSink,
    header: LogHeader,
  ) {
    this.bytes = isByteSink(sink) && sink.buffer.length >= FACT_LINE_ROOM ? sink : undefined;
    sink.line(headerLine(header));
  }

  next(batch: RunBatch): void {
    const { facts, factEnds } = batch;
    const bytes = this.bytes;
    let seq = batch.firstSeq;
    let k = 0;
    for (let i = 0; i < batch.count; i++) {
      const cmd = batch.first + i;
      for (const end = factEnds[i]!; k < end; k++, seq++) {
        const fact = facts[k]!;
        if (bytes !== undefined) {
          const at = bytes.room(FACT_LINE_ROOM);
          const lineEnd = encodeFactLine(bytes.buffer, at, at + FACT_LINE_ROOM, seq, cmd, fact);
          if (lineEnd >= 0) {
            bytes.wrote(lineEnd);
            continue;
          }
        }
        this.sink.line(factLine(seq, cmd, fact));
      }
    }
  }
}
