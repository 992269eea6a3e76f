import { Engine, FoldError, initialState } from '@lmm/core';
import { InputError, readFactLog, type LogHeader } from '@lmm/replay';
import { FactEncoder } from './factCodec';
import { SeriesBuilder, type RunSeries } from './series';

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
  /** Chart buckets (default DEFAULT_BUCKETS). */
  readonly buckets?: number;
}

/**
 * Reads a fact log, folds every fact through the core `Engine` (a fact that does not fit
 * is an InputError at its line), and returns its compact encoding and bucketed series.
 */
export async function loadRun(path: string, options: LoadRunOptions = {}): Promise<LoadedRun> {
  const name = options.displayName ?? path;
  let header: LogHeader | undefined;
  let encoder: FactEncoder | undefined;
  let engine: Engine | undefined;
  const series = new SeriesBuilder();
  let cmd = 0;
  let facts = 0;
  const readOptions = { displayName: name, ...(options.onWarning ? { onWarning: options.onWarning } : {}) };
  for await (const batch of readFactLog(path, readOptions)) {
    if (!Array.isArray(batch)) {
      header = batch;
      encoder = new FactEncoder(header);
      engine = new Engine(initialState({ layout: header.layout, policy: header.policy, maxPages: header.maxPages }));
      continue;
    }
    for (const { fact, line } of batch) {
      if (fact.cmd !== cmd) {
        if (cmd > 0) record(series, engine!, cmd);
        cmd = fact.cmd;
      }
      try {
        engine!.apply(fact);
      } catch (e) {
        if (e instanceof FoldError) throw new InputError(name, line, `${fact.type} fact does not fit the heap: ${e.message}`);
        throw e;
      }
      encoder!.add(fact);
      facts++;
      if (fact.type === 'PageRequest' || fact.type === 'PageRelease' || fact.type === 'Rejected') series.event(fact.cmd, fact.type);
    }
  }
  if (cmd > 0) record(series, engine!, cmd);
  return { name, header: header!, commands: cmd, facts, payload: encoder!.finish(), series: series.finish(options.buckets) };
}

function record(series: SeriesBuilder, engine: Engine, cmd: number): void {
  const s = engine.peek();
  series.record(cmd, s.pagesInUse * s.layout.pageSize, s.liveBytes);
}
