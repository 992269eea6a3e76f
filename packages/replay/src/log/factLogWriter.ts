import type { Observer } from 'rxjs';
import type { RunBatch } from '@lmm/events';
import { factLine, headerLine, type LogHeader } from '../formats/factLog.js';

/** Where a fact log's lines go: one call per line, without its line end. */
export interface LineSink {
  line(text: string): void;
}

/**
 * A tap (`tap(writer)`) that writes a run as a fact log (SPEC §3): the header line at once,
 * then one line per fact of every batch, numbered by `seq` and `cmd`.
 */
export class FactLogWriter implements Partial<Observer<RunBatch>> {
  constructor(
    private readonly sink: LineSink,
    header: LogHeader,
  ) {
    sink.line(headerLine(header));
  }

  next(batch: RunBatch): void {
    const { facts, factEnds } = batch;
    let seq = batch.firstSeq;
    let k = 0;
    for (let i = 0; i < batch.count; i++) {
      const cmd = batch.first + i;
      for (const end = factEnds[i]!; k < end; k++) this.sink.line(factLine(seq++, cmd, facts[k]!));
    }
  }
}
