import type { LoggedFact } from '@lmm/core';
import { ReplayLog, type LoadReplayOptions, type LogHeader } from '@lmm/replay';
import { DEFAULT_BUCKETS, type RunSeries } from '../model/series.js';
import { SeriesTap } from '../node/seriesTap.js';
import type { CommandFacts, RunSource, StateAt } from './runSource.js';

/** Commands per stretch `commandsFrom` yields. */
const STRETCH = 4096;

/**
 * A `RunSource` over a fact log folded into memory (`ReplayLog`: its facts compactly, a state
 * every so many commands): checked on load like every log lmm reads, then any state is one
 * checkpoint plus a short fold. Its memory grows with the log (about 0.8 GB per million
 * commands), so it suits logs that fit in memory, and tests. Series are recorded while
 * loading, per command, and bucketed on request.
 */
export class ReplayRunSource implements RunSource {
  private constructor(
    readonly name: string,
    private readonly log: ReplayLog,
    /** `firstSeq[c]`: the `seq` of command c's first fact; `firstSeq[commands + 1]` = facts + 1. */
    private readonly firstSeq: Float64Array,
    private readonly tap: SeriesTap,
  ) {}

  /** Reads, checks and folds the log at `path` (`ReplayLog.load`); `options.displayName` is the name shown. */
  static async load(path: string, options: LoadReplayOptions = {}): Promise<ReplayRunSource> {
    let firstSeq = new Float64Array(1 << 12);
    firstSeq[1] = 1;
    let tap: SeriesTap | undefined;
    const log = await ReplayLog.load(path, {
      ...options,
      onBatch: (b) => {
        tap ??= new SeriesTap(b.view.layout.pageSize);
        tap.next(b);
        const last = b.first + b.count;
        if (last >= firstSeq.length) {
          const grown = new Float64Array(Math.max(2 * firstSeq.length, last + 1));
          grown.set(firstSeq);
          firstSeq = grown;
        }
        for (let i = 0; i < b.count; i++) firstSeq[b.first + i + 1] = b.firstSeq + b.factEnds[i]!;
        options.onBatch?.(b);
      },
    });
    return new ReplayRunSource(options.displayName ?? path, log, firstSeq.slice(0, log.commands + 2), tap ?? new SeriesTap(log.header.layout.pageSize));
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
    return Promise.resolve(this.tap.finish(buckets));
  }

  stateAt(cmd: number): Promise<StateAt> {
    const state = this.log.seek(cmd);
    return Promise.resolve({ cmd, state, facts: cmd === 0 ? [] : this.factsOf(cmd), factCount: this.firstSeq[cmd + 1]! - 1 });
  }

  async *commandsFrom(from: number, to = this.commands): AsyncIterable<readonly CommandFacts[]> {
    const last = Math.min(to, this.commands);
    for (let c = Math.max(1, from); c <= last; c += STRETCH) {
      const stretch: CommandFacts[] = [];
      for (let k = c; k <= Math.min(last, c + STRETCH - 1); k++) stretch.push({ cmd: k, facts: this.factsOf(k) });
      yield stretch;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Command `cmd`'s facts as logged (1…commands). */
  private factsOf(cmd: number): LoggedFact[] {
    let seq = this.firstSeq[cmd]!;
    return this.log.factsOf(cmd).map((f) => ({ ...f, seq: seq++, cmd }) as LoggedFact);
  }
}
