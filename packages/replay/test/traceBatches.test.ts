/**
 * Trace files as Observables of command batches: cold and lazy, one batch pulled at a time,
 * complete at the end, error with the InputError after the commands before it, and stop
 * reading (closing the file) when unsubscribed; a real trace run through the pipeline.
 */
import { mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { concatMap, firstValueFrom, map, Observable, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInvariants, initialState, LAYOUTS, statsOf } from '@lmm/core';
import { heapStates, PeakTap, runCommands } from '@lmm/events';
import { InputError, readTrace, traceBatches, type TraceCommand } from '@lmm/replay';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PYTHON = join(ROOT, '..', 'shared', 'traces', 'python-json-pymalloc.valgrind.log');
const tmp = mkdtempSync(join(tmpdir(), 'lmm-events-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const collect = <T>(o: Observable<T>): Promise<T[]> => firstValueFrom(o.pipe(toArray()));
/** A trace's commands one by one. */
const traceCommands = (path: string, options: Parameters<typeof traceBatches>[1]) => traceBatches(path, options).pipe(concatMap((b) => b));

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

describe('traceBatches', () => {
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

describe('a real trace through the pipeline', () => {
  it('runCommands gives per command what heapStates gives, and the end state keeps every invariant', async () => {
    const initial = initialState({ layout: LAYOUTS.lmm64, policy: 'best-fit' });
    const options = { layout: LAYOUTS.lmm64, families: 'pow2' as const, chunkBytes: 8192 };
    const states = await collect(traceCommands(PYTHON, options).pipe(map((c) => c.command), heapStates(initial)));
    expect(states.length).toBeGreaterThan(3000);
    const peak = new PeakTap(LAYOUTS.lmm64.pageSize);
    const batches = await collect(traceBatches(PYTHON, options).pipe(runCommands(initial)));
    let cmd = 0;
    for (const b of batches) {
      expect(b.first).toBe(cmd + 1);
      peak.next(b);
      for (let i = 0; i < b.count; i++) {
        const s = states[cmd + i]!;
        expect([b.liveBytes[i], b.pages[i]]).toEqual([s.liveBytes, statsOf(s).total.pages]);
      }
      cmd += b.count;
    }
    expect(cmd).toBe(states.length);
    const pages = states.map((s) => s.pagesInUse);
    expect(peak.peak.pages).toBe(Math.max(...pages));
    expect(peak.peak.heapCmd).toBe(pages.indexOf(peak.peak.pages) + 1);
    expect(checkInvariants(states.at(-1)!)).toEqual([]);
  });
});
