import { Engine, type HeapState, type LoggedFact } from '@lmm/core';
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
 *
 * Stepping forward is cheaper still: the source keeps the last state it made, and a command
 * after it with no checkpoint in between is reached by applying the facts in between to it
 * (as `ReplayLog.seek` does; the index was built by a checked fold of this log). Should they
 * not apply, the state is read as any other (`SeekableLog.at`, which checks the log again).
 */
export class SeekableRunSource implements RunSource {
  /** The last state made and the command it is after. */
  private cursor: { cmd: number; engine: Engine } | undefined;

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
    const on = this.cursor !== undefined && this.cursor.cmd <= cmd && this.cursor.cmd >= this.checkpointBefore(cmd) ? await this.stepTo(cmd) : undefined;
    if (on !== undefined) return on;
    const [{ state }, facts] = await Promise.all([this.log.at(cmd), cmd === 0 ? [] : this.log.factsOf(cmd)]);
    this.cursor = { cmd, engine: new Engine(state) };
    return { cmd, state, facts, factCount: facts.length === 0 ? 0 : facts[facts.length - 1]!.seq };
  }

  /** The command of the last checkpoint at or before `cmd` (0 when none). */
  private checkpointBefore(cmd: number): number {
    const cps = this.log.checkpoints;
    let lo = 0;
    let hi = cps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cps[mid]!.cmd <= cmd) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : cps[lo - 1]!.cmd;
  }

  /** The state after `cmd` from the cursor's, by applying the facts in between; undefined (and no cursor) when they do not apply. */
  private async stepTo(cmd: number): Promise<StateAt | undefined> {
    const cursor = this.cursor!;
    const change = this.log.header.switch;
    let facts: readonly LoggedFact[] = [];
    try {
      if (cmd > cursor.cmd) {
        for await (const stretch of this.log.commandsFrom(cursor.cmd + 1, cmd)) {
          for (const c of stretch) {
            for (const f of c.facts) cursor.engine.apply(f);
            // A what-if branch: the commands after the switch run under its policy.
            if (change !== undefined && c.cmd === change.cmd) cursor.engine.setPolicy(change.policy);
            cursor.cmd = c.cmd;
            facts = c.facts as readonly LoggedFact[];
          }
        }
      } else if (cmd > 0) facts = await this.log.factsOf(cmd);
    } catch {
      this.cursor = undefined;
      return undefined;
    }
    if (cursor.cmd !== cmd) {
      this.cursor = undefined;
      return undefined;
    }
    const state: HeapState = cursor.engine.snapshot();
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
