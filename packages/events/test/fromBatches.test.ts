/**
 * Async sources as Observables: cold and lazy, one batch pulled at a time and only after the
 * last was emitted, complete at the end, error after the items before it, and stop reading
 * (closing the source) when unsubscribed.
 */
import { firstValueFrom, Observable, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { fromBatches } from '@lmm/events';

const collect = <T>(o: Observable<T>): Promise<T[]> => firstValueFrom(o.pipe(toArray()));

/** An async source of `batches` that logs what is pulled, emitted and closed. */
function recorded(batches: number, size: number, log: string[], failAt?: number, delayMs = 0) {
  return async function* (): AsyncGenerator<number[]> {
    try {
      for (let b = 0; b < batches; b++) {
        log.push(`pull ${b}`);
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        if (b === failAt) throw new Error(`batch ${b} is bad`);
        yield Array.from({ length: size }, (_, i) => b * size + i);
      }
    } finally {
      log.push('closed');
    }
  };
}

describe('fromBatches', () => {
  it('pulls the next batch only after emitting every item of the current one, and completes at the end', async () => {
    const log: string[] = [];
    const done = new Promise<void>((resolve, reject) =>
      fromBatches(recorded(3, 2, log)).subscribe({ next: (x) => log.push(`item ${x}`), complete: () => (log.push('complete'), resolve()), error: reject }),
    );
    await done;
    expect(log).toEqual(['pull 0', 'item 0', 'item 1', 'pull 1', 'item 2', 'item 3', 'pull 2', 'item 4', 'item 5', 'closed', 'complete']);
  });

  it('is cold: nothing is pulled before subscription, and each subscription pulls its own', async () => {
    const log: string[] = [];
    const o = fromBatches(recorded(2, 1, log));
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual([]);
    expect(await collect(o)).toEqual([0, 1]);
    expect(await collect(o)).toEqual([0, 1]);
  });

  it('errors with what the source throws, after the items before it', async () => {
    const log: string[] = [];
    const items: number[] = [];
    const error = await new Promise((resolve) => fromBatches(recorded(5, 2, log, 2)).subscribe({ next: (x) => items.push(x), error: resolve }));
    expect((error as Error).message).toBe('batch 2 is bad');
    expect(items).toEqual([0, 1, 2, 3]);
    expect(log.at(-1)).toBe('closed');
  });

  it('stops pulling and closes the source when unsubscribed, mid-batch or between batches', async () => {
    const log: string[] = [];
    expect(await collect(fromBatches(recorded(100, 4, log)).pipe(take(6)))).toEqual([0, 1, 2, 3, 4, 5]);
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['pull 0', 'pull 1', 'closed']);

    // Unsubscribed while a pull is pending: the source closes once that pull is done, and no item is emitted after.
    const log2: string[] = [];
    const sub = fromBatches(recorded(100, 4, log2, undefined, 5)).subscribe((x) => log2.push(`item ${x}`));
    while (!log2.includes('pull 2')) await new Promise((r) => setTimeout(r, 1));
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 20));
    expect(log2).toEqual(['pull 0', 'item 0', 'item 1', 'item 2', 'item 3', 'pull 1', 'item 4', 'item 5', 'item 6', 'item 7', 'pull 2', 'closed']);
  });
});
