import type { Observer } from 'rxjs';
import type { RunBatch } from '@lmm/events';
import { SeriesBuilder, type RunSeries } from '../model/series.js';

/**
 * A tap (`tap(series)`) that records what the page charts from a run's batches (from
 * `runCommands` or `foldFactLog`): heap and live bytes after each command, and its page
 * requests, page releases, rejections and avoidable growth (as the batches flag it).
 */
export class SeriesTap implements Partial<Observer<RunBatch>> {
  private readonly series = new SeriesBuilder();

  /** `pageSize`: the log's page size in bytes (heap bytes = pages × pageSize). */
  constructor(private readonly pageSize: number) {}

  next(batch: RunBatch): void {
    const { facts, factEnds } = batch;
    let k = 0;
    for (let i = 0; i < batch.count; i++) {
      const cmd = batch.first + i;
      for (const end = factEnds[i]!; k < end; k++) {
        const type = facts[k]!.type;
        if (type === 'PageRequest' || type === 'PageRelease' || type === 'Rejected') this.series.event(cmd, type);
        if (type === 'PageRequest' && batch.avoidable[i] === 1) this.series.event(cmd, 'Avoidable');
      }
      this.series.record(cmd, batch.pages[i]! * this.pageSize, batch.liveBytes[i]!);
    }
  }

  /** The series in at most `buckets` buckets (default `DEFAULT_BUCKETS`), min and max per bucket. */
  finish(buckets?: number): RunSeries {
    return this.series.finish(buckets);
  }
}
