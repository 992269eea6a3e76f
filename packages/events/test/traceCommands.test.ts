/**
 * Trace files as Observables: cold and lazy, one batch pulled at a time and only after the
 * last was emitted, complete at the end, error with the InputError after the commands
 * before it, and stop reading (closing the file) when unsubscribed.
 */
import { mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, Observable, take, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUTS } from '@lmm/core';
import { fromBatches, traceCommands } from '@lmm/events';
import { InputError, readTrace, type TraceCommand } from '@lmm/replay';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PYTHON = join(ROOT, '..', 'shared', 'traces', 'python-json-pymalloc.valgrind.log');
const tmp = mkdtempSync(join(tmpdir(), 'lmm-events-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

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

/** Whether this process holds `file` open (Linux). */
function holdsOpen(file: string): boolean {
  // The kernel names an open file by its real path (the shared traces may be reached through a link).
  const real = realpathSync(file);
  return readdirSync('/proc/self/fd').some((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === real;
    } catch {
      return false;
    }
  });
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

describe('traceCommands', () => {
  it('emits exactly the commands readTrace reads, then completes', async () => {
    const options = { layout: LAYOUTS.seed, families: 'exact' as const };
    const expected: TraceCommand[] = [];
    for await (const batch of readTrace(PYTHON, options)) expected.push(...batch);
    expect(await collect(traceCommands(PYTHON, { ...options, chunkBytes: 8192 }))).toEqual(expected);
  });

  it('is lazy: a missing file is only an error once subscribed', async () => {
    const o = traceCommands(join(tmp, 'missing.rep'), { layout: LAYOUTS.seed, displayName: 'missing.rep' });
    const error = await collect(o).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('missing.rep: no such file');
  });

  it('errors with the InputError of a bad line, after the commands before it', async () => {
    const file = join(tmp, 'bad.rep');
    writeFileSync(file, '0 3 3 1\na 0 8\na 1 16\nq 2 5\n');
    const got: TraceCommand[] = [];
    const error = await new Promise((resolve) => traceCommands(file, { layout: LAYOUTS.seed, displayName: 'bad.rep' }).subscribe({ next: (c) => got.push(c), error: resolve }));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^bad\.rep:4: unknown malloc-lab operation 'q'/);
    // The bad line is in the same chunk as the good ones: a batch is emitted whole or not at all.
    expect(got).toEqual([]);
    const small: TraceCommand[] = [];
    await new Promise((resolve) => traceCommands(file, { layout: LAYOUTS.seed, chunkBytes: 8 }).subscribe({ next: (c) => small.push(c), error: resolve }));
    expect(small.map((c) => c.line)).toEqual([2, 2, 3]);
  });

  it.runIf(process.platform === 'linux')('holds the file open while subscribed and closes it when unsubscribed before the end', async () => {
    const got: TraceCommand[] = [];
    let opened = false;
    await new Promise<void>((resolve) => {
      const sub = traceCommands(PYTHON, { layout: LAYOUTS.seed, chunkBytes: 4096 }).subscribe((c) => {
        got.push(c);
        if (got.length === 3) {
          opened = holdsOpen(PYTHON);
          sub.unsubscribe();
          resolve();
        }
      });
    });
    expect(opened).toBe(true);
    expect(got.map((c) => c.line)).toEqual([7, 7, 8]);
    for (let i = 0; i < 50 && holdsOpen(PYTHON); i++) await new Promise((r) => setTimeout(r, 2));
    expect(holdsOpen(PYTHON)).toBe(false);
  });
});
