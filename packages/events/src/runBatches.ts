import { Observable, type OperatorFunction } from 'rxjs';
import type { Engine, Fact } from '@lmm/core';
import type { RunBatch } from './batch.js';

/**
 * The one loop under every fold of the pipeline: takes batches of some input, and for each
 * runs `step(engine, item)` item by item on one `Engine` (each item is one command and
 * returns its facts), recording facts, live bytes and pages after each command. A batch is
 * cut after every command `c` with `cut(c)` true (and which commands' page requests were
 * avoidable growth), so a consumer can see the state at
 * exactly those commands. Emits one `RunBatch` per (cut) batch; errors thrown by `step`
 * end the stream with that error. `first` is the number of the first command to come.
 */
export function runBatches<T>(engine: Engine, step: (item: T, cmd: number, index: number) => readonly Fact[], lineOf: (item: T) => number, cut: ((cmd: number) => boolean) | undefined, first = 1): OperatorFunction<readonly T[], RunBatch> {
  return (source) =>
    new Observable<RunBatch>((subscriber) => {
      let cmd = first - 1;
      let seq = 0;
      // Each family's avoidable growth so far, to tell which command raised it.
      const avoidableSeen = new Map<string, number>();
      for (const fam of engine.peek().families.values()) avoidableSeen.set(fam.name, fam.avoidableGrowth);
      return source.subscribe({
        next(items) {
          let start = 0;
          while (start < items.length) {
            let end = items.length;
            if (cut !== undefined) {
              for (let i = start; i < items.length; i++) {
                if (cut(cmd + 1 + i - start)) {
                  end = i + 1;
                  break;
                }
              }
            }
            const count = end - start;
            const facts: Fact[] = [];
            const factEnds = new Uint32Array(count);
            const lines: number[] = new Array<number>(count);
            const liveBytes = new Float64Array(count);
            const pages = new Float64Array(count);
            const avoidable = new Uint8Array(count);
            const firstCmd = cmd + 1;
            const firstSeq = seq + 1;
            try {
              for (let i = 0; i < count; i++) {
                const item = items[start + i]!;
                cmd++;
                const out = step(item, cmd, start + i);
                for (let k = 0; k < out.length; k++) {
                  const f = out[k]!;
                  facts.push(f);
                  if (f.type === 'PageRequest' && f.count === 1) {
                    const grown = engine.peek().familyNamed(f.family)?.avoidableGrowth ?? 0;
                    if (grown > (avoidableSeen.get(f.family) ?? 0)) avoidable[i] = 1;
                    avoidableSeen.set(f.family, grown);
                  }
                }
                factEnds[i] = facts.length;
                lines[i] = lineOf(item);
                const view = engine.peek();
                liveBytes[i] = view.liveBytes;
                pages[i] = view.pagesInUse;
              }
            } catch (e) {
              subscriber.error(e);
              return;
            }
            seq += facts.length;
            subscriber.next({ first: firstCmd, count, firstSeq, facts, factEnds, lines, liveBytes, pages, avoidable, view: engine.peek(), snapshot: () => engine.snapshot() });
            if (subscriber.closed) return;
            start = end;
          }
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}

/** A cut predicate: true after every multiple of each interval (none when `every` is empty or absent). */
export function cutsEvery(every: readonly number[] | undefined, also?: (cmd: number) => boolean): ((cmd: number) => boolean) | undefined {
  const list = (every ?? []).filter((n) => Number.isInteger(n) && n >= 1);
  if (list.length === 0) return also;
  return (cmd) => list.some((n) => cmd % n === 0) || (also?.(cmd) ?? false);
}
