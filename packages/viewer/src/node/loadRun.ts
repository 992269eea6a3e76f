import { lastValueFrom, tap, type Observer } from 'rxjs';
import type { LoggedFact } from '@lmm/core';
import type { RunBatch } from '@lmm/events';
import { foldFactLog, openFactLog, type InputError, type LogHeader } from '@lmm/replay';
import { FactEncoder } from './factEncoder.js';
import type { RunSeries } from '../model/series.js';
import { SeriesTap } from './seriesTap.js';

/** A fact log read for the viewer: checked by folding it through the core engine, encoded, charted. */
export interface LoadedRun {
  /** The name the page shows (the file as the user gave it). */
  readonly name: string;
  readonly header: LogHeader;
  readonly commands: number;
  readonly facts: number;
  /** The encoded run (FactEncoder output, not compressed). */
  readonly payload: Uint8Array;
  readonly series: RunSeries;
}

/** Options of `loadRun`. */
export interface LoadRunOptions {
  /** The file's name in messages and on the page (default: the path). */
  readonly displayName?: string;
  /** Told when a cut-off last line is skipped. */
  readonly onWarning?: (error: InputError) => void;
  /** Refuse a log whose last line was cut off (see `readFactLog`). */
  readonly strict?: boolean;
  /** Chart buckets (default DEFAULT_BUCKETS). */
  readonly buckets?: number;
  /** Told as the file is read: bytes so far and the file's size (0 when unknown, as for a pipe). */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/**
 * A tap (`tap(loader)`) that takes what a run did, batch by batch (from `runCommands` or
 * `foldFactLog`): encodes every fact for the page and records the series after each command
 * (heap and live bytes, page requests and releases, rejections, and the page requests that
 * were avoidable growth, as `runCommands` and `foldFactLog` flag them).
 */
export class RunLoader implements Partial<Observer<RunBatch>> {
  private readonly encoder: FactEncoder;
  private readonly series: SeriesTap;
  private commands = 0;
  private facts = 0;

  constructor(
    private readonly name: string,
    private readonly header: LogHeader,
  ) {
    this.encoder = new FactEncoder(header);
    this.series = new SeriesTap(header.layout.pageSize);
  }

  next(batch: RunBatch): void {
    const { facts, factEnds } = batch;
    let seq = batch.firstSeq;
    let k = 0;
    for (let i = 0; i < batch.count; i++) {
      const cmd = batch.first + i;
      for (const end = factEnds[i]!; k < end; k++) this.encoder.add({ ...facts[k]!, seq: seq++, cmd } as LoggedFact);
    }
    this.series.next(batch);
    this.commands = batch.first + batch.count - 1;
    this.facts += facts.length;
  }

  /** The loaded run, with its series in at most `buckets` buckets. */
  finish(buckets?: number): LoadedRun {
    return { name: this.name, header: this.header, commands: this.commands, facts: this.facts, payload: this.encoder.finish(), series: this.series.finish(buckets) };
  }
}

/** Reads a fact log for the viewer: streamed and checked (`foldFactLog`), encoded and charted (`RunLoader`). */
export async function loadRun(path: string, options: LoadRunOptions = {}): Promise<LoadedRun> {
  const name = options.displayName ?? path;
  const readOptions = {
    displayName: name,
    strict: options.strict === true,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  const { header, batches } = await openFactLog(path, readOptions);
  const loader = new RunLoader(name, header);
  await lastValueFrom(batches.pipe(foldFactLog(header, name), tap(loader)), { defaultValue: undefined });
  return loader.finish(options.buckets);
}
