import type { LoggedFact } from '@lmm/core';
import { SeekableLog, type LogHeader, type OpenLogOptions } from '@lmm/replay';
import { DEFAULT_BUCKETS, type RunSeries } from '../model/series.js';
import type { CommandFacts, RunSource, StateAt } from './runSource.js';
import { servedSeries } from './servedSeries.js';

/**
 * A `RunSource` over a fact log on disk and its index (`SeekableLog`, `LOG.idx` beside the
 * log, built with a checked fold when missing or stale): a state is one checkpoint read plus a
 * fold of the commands after it, the facts of a command one short read of the log, the series
 * the index's buckets. Memory stays about one state and one chunk of the log, however long the
 * log. The series keep min and max per bucket and the exact peaks, but no counts of page
 * requests, rejections or avoidable growth (`servedSeries`).
 */
export class SeekableRunSource implements RunSource {
  private constructor(
    readonly name: string,
    /** The log and its index. */
    readonly log: SeekableLog,
  ) {}

  /** Opens the log at `path` (a regular file) for seeking; `options.displayName` is the name shown. Bad input is an InputError naming file and line. */
  static async open(path: string, options: OpenLogOptions = {}): Promise<SeekableRunSource> {
    return new SeekableRunSource(options.displayName ?? path, await SeekableLog.open(path, options));
  }

  get header(): LogHeader {
    return this.log.header;
  }

  get commands(): number {
    return this.log.commands;
  }

  get facts(): number {
    return this.log.facts;
  }

  series(buckets = DEFAULT_BUCKETS): Promise<RunSeries> {
    return Promise.resolve(servedSeries({ commands: this.log.commands, series: this.log.series, peak: this.log.peak }, this.log.header.layout.pageSize, buckets));
  }

  async stateAt(cmd: number): Promise<StateAt> {
    const [{ state }, facts] = await Promise.all([this.log.at(cmd), cmd === 0 ? [] : this.log.factsOf(cmd)]);
    return { cmd, state, facts, factCount: facts.length === 0 ? 0 : facts[facts.length - 1]!.seq };
  }

  async *commandsFrom(from: number, to = this.commands): AsyncIterable<readonly CommandFacts[]> {
    const first = Math.max(1, from);
    const last = Math.min(to, this.commands);
    if (first > last) return;
    // The log's commands carry their facts as logged (`seq`, `cmd` included).
    for await (const stretch of this.log.commandsFrom(first, last)) yield stretch.map((c) => ({ cmd: c.cmd, facts: c.facts as readonly LoggedFact[] }));
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
