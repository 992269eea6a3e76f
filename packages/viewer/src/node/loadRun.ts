import { Engine, FoldError, initialState, type LoggedFact } from '@lmm/core';
import { InputError, readFactLog, type LogHeader } from '@lmm/replay';
import { FactEncoder } from './factEncoder.js';
import { SeriesBuilder, type RunSeries } from '../model/series.js';

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

/** Options of a RunLoader. */
export interface RunLoaderOptions {
  /**
   * Fold every fact through the core to check it fits (default true). Only facts that come
   * straight from the core's own `decide` may skip this.
   */
  readonly check?: boolean;
}

/**
 * Takes a run's facts in log order: folds each through the core `Engine` (a fact that does
 * not fit is an InputError at its line), encodes it, and records the series after each
 * command (heap and live bytes, counted from the facts). `loadRun` feeds it from a file;
 * anything that has facts can feed it directly.
 */
export class RunLoader {
  private readonly encoder: FactEncoder;
  private readonly engine: Engine | undefined;
  private readonly series = new SeriesBuilder();
  private cmd = 0;
  private facts = 0;
  private pages = 0;
  private live = 0;

  constructor(
    private readonly name: string,
    private readonly header: LogHeader,
    options: RunLoaderOptions = {},
  ) {
    this.encoder = new FactEncoder(header);
    if (options.check ?? true) this.engine = new Engine(initialState({ layout: header.layout, policy: header.policy, maxPages: header.maxPages }));
  }

  /** Takes the next fact; `line` names it in an error (default: its place in a log file, seq + 1). */
  add(fact: LoggedFact, line = fact.seq + 1): void {
    if (fact.cmd !== this.cmd) {
      this.record();
      this.cmd = fact.cmd;
    }
    try {
      this.engine?.apply(fact);
    } catch (e) {
      if (e instanceof FoldError) throw new InputError(this.name, line, `${fact.type} fact does not fit the heap: ${e.message}`);
      throw e;
    }
    this.encoder.add(fact);
    this.facts++;
    switch (fact.type) {
      case 'PageRequest':
        this.pages += fact.count;
        this.series.event(fact.cmd, fact.type);
        break;
      case 'PageRelease':
        this.pages -= fact.count;
        this.series.event(fact.cmd, fact.type);
        break;
      case 'Rejected':
        this.series.event(fact.cmd, fact.type);
        break;
      case 'Allocated':
        this.live += fact.size;
        break;
      case 'Freed':
        this.live -= fact.size;
        break;
      case 'Registered':
        break;
      default: {
        const never: never = fact;
        throw new Error(`unknown fact ${JSON.stringify(never)}`);
      }
    }
  }

  private record(): void {
    if (this.cmd > 0) this.series.record(this.cmd, this.pages * this.header.layout.pageSize, this.live);
  }

  /** The loaded run, with its series in at most `buckets` buckets. */
  finish(buckets?: number): LoadedRun {
    this.record();
    return { name: this.name, header: this.header, commands: this.cmd, facts: this.facts, payload: this.encoder.finish(), series: this.series.finish(buckets) };
  }
}

/** Reads a fact log for the viewer (see RunLoader): streamed, checked, encoded, charted. */
export async function loadRun(path: string, options: LoadRunOptions = {}): Promise<LoadedRun> {
  const name = options.displayName ?? path;
  let loader: RunLoader | undefined;
  const readOptions = { displayName: name, strict: options.strict === true, ...(options.onWarning ? { onWarning: options.onWarning } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  for await (const batch of readFactLog(path, readOptions)) {
    if (!Array.isArray(batch)) loader = new RunLoader(name, batch);
    else for (const { fact, line } of batch) loader!.add(fact, line);
  }
  return loader!.finish(options.buckets);
}
