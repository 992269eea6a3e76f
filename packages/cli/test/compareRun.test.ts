/**
 * One run of `lmm compare` (`runCompareJob`): its live and heap bytes after every command (the
 * series the page charts) against the naive model of SPEC §1, in buckets of one command and,
 * past 1000 commands, of two; the row naming the trace as written; and a failure carried as
 * plain data (`jobFailure`, `failureError`) to and from a worker thread.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUTS, parseLayout, type Layout, type Policy } from '@lmm/core';
import { InputError } from '@lmm/replay';
import { NaiveHeap, naivePeak } from '@lmm/testkit';
import { failureError, jobFailure, runCompareJob, type CompareJob } from '../src/compareRun.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-compare-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const jsonl = (commands: readonly unknown[]): string => `${commands.map((c) => JSON.stringify(c)).join('\n')}\n`;

/** Best fit against worst fit (scenarios/best-vs-worst-fit.jsonl) and a rejected free. */
const SHORT = [
  { op: 'register', family: 'u_t', size: 100 },
  { op: 'alloc', id: 'a', family: 'u_t', units: 10 },
  { op: 'alloc', id: 'b', family: 'u_t', units: 10 },
  { op: 'alloc', id: 'c', family: 'u_t', units: 10 },
  { op: 'free', id: 'b' },
  { op: 'alloc', id: 'e', family: 'u_t', units: 9 },
  { op: 'alloc', id: 'f', family: 'u_t', units: 10 },
  { op: 'free', id: 'nobody' },
];
/** 1501 commands: blocks of 1 to 60 units of 16 bytes, every third command freeing the block allocated two before, every 100th a rejected free. */
const LONG: unknown[] = [{ op: 'register', family: 'a', size: 16 }];
for (let i = 1; LONG.length < 1501; i++) {
  if (i % 100 === 0) LONG.push({ op: 'free', id: 'nobody' });
  else if (i % 3 === 2) LONG.push({ op: 'free', id: `b${i - 2}` });
  else LONG.push({ op: 'alloc', id: `b${i}`, family: 'a', units: 1 + ((i * 37) % 60) });
}
writeFileSync(join(tmp, 'short.jsonl'), jsonl(SHORT));
writeFileSync(join(tmp, 'long.jsonl'), jsonl(LONG));
writeFileSync(join(tmp, 'bad.jsonl'), '{"op":"register","family":"a","size":8}\n{"op":"alloc","id":"x","family":"a"}\n{"op":\n');

function job(file: string, policy: Policy, layoutName = 'seed', series = true, maxPages: number | null = null): CompareJob {
  return { trace: file, path: join(tmp, file), layoutName, layout: parseLayout(layoutName) as Layout, families: 'single', policy, maxPages, series };
}

/** Live and heap bytes after each command, and the commands rejected, by the naive model. */
function naiveSeries(layout: Layout, policy: Policy, maxPages: number | null, commands: readonly unknown[]): { live: number[]; heap: number[]; rejected: number } {
  const heap = new NaiveHeap(layout, policy, maxPages);
  const out = { live: [] as number[], heap: [] as number[], rejected: 0 };
  for (const c of commands) {
    if (heap.run(c).some((f) => f.type === 'Rejected')) out.rejected++;
    out.live.push(heap.liveBytes());
    out.heap.push(heap.pagesInUse * layout.pageSize);
  }
  return out;
}

describe('runCompareJob', () => {
  it.each([
    ['worst-fit', 'seed', null],
    ['best-fit', 'seed', null],
    ['first-fit', '2048:16:8', null],
    ['worst-fit', 'seed', 1],
  ] as const)('%s, layout %s, max pages %s: a bucket per command, each the naive model’s live and heap bytes after it', async (policy, layoutName, maxPages) => {
    const layout = parseLayout(layoutName) as Layout;
    const result = await runCompareJob(job('short.jsonl', policy, layoutName, true, maxPages));
    const want = naiveSeries(layout, policy, maxPages, SHORT);
    expect(result.series).toEqual({ commands: 8, width: 1, liveMin: want.live, liveMax: want.live, heapMin: want.heap, heapMax: want.heap });
    const peak = naivePeak(layout, policy, maxPages, SHORT);
    expect([result.row.peakLiveBytes, result.row.peakHeapBytes, result.row.peakPages, result.row.peakUtilization]).toEqual([peak.liveBytes, peak.heapBytes, peak.pages, peak.utilization]);
    expect(result.row.final.heapBytes).toBe(want.heap.at(-1));
    expect(result.row.final.liveBytes).toBe(want.live.at(-1));
    expect(result.row.rejected).toBe(want.rejected);
  });

  it('past 1000 commands, buckets of 2: the min and max of each pair of commands, the last bucket one command', async () => {
    const result = await runCompareJob(job('long.jsonl', 'best-fit'));
    const want = naiveSeries(LAYOUTS.seed, 'best-fit', null, LONG);
    const pairs = (v: number[], pick: (...x: number[]) => number): number[] => Array.from({ length: Math.ceil(v.length / 2) }, (_, i) => pick(...v.slice(2 * i, 2 * i + 2)));
    expect(result.series).toEqual({
      commands: 1501,
      width: 2,
      liveMin: pairs(want.live, Math.min),
      liveMax: pairs(want.live, Math.max),
      heapMin: pairs(want.heap, Math.min),
      heapMax: pairs(want.heap, Math.max),
    });
    expect(result.series!.liveMax).toHaveLength(751);
    expect(result.row.commands).toBe(1501);
    expect(result.row.rejected).toBe(want.rejected);
    expect(want.rejected).toBeGreaterThanOrEqual(15);
  });

  it('without -o: the row alone, no series', async () => {
    const result = await runCompareJob(job('short.jsonl', 'best-fit', 'seed', false));
    expect(Object.keys(result)).toEqual(['row']);
    expect(result.row).toMatchObject({ trace: 'short.jsonl', layout: 'seed', families: 'single', policy: 'best-fit', commands: 8, rejected: 1 });
  });

  it('names the trace as the job does, in its row and in its errors, whatever the path read', async () => {
    const shown = { ...job('short.jsonl', 'best-fit', 'seed', false), trace: 'as/typed.jsonl' };
    expect((await runCompareJob(shown)).row.trace).toBe('as/typed.jsonl');
    const bad = { ...job('bad.jsonl', 'best-fit'), trace: 'typed-bad.jsonl' };
    const e = await runCompareJob(bad).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InputError);
    expect([(e as InputError).file, (e as InputError).line]).toEqual(['typed-bad.jsonl', 3]);
  });
});

describe('a failure as plain data', () => {
  it('an input error keeps its file, line and reason, and comes back as the same InputError', () => {
    const failure = jobFailure(new InputError('t.jsonl', 3, 'not JSON'));
    expect(failure).toEqual({ kind: 'input', file: 't.jsonl', line: 3, reason: 'not JSON' });
    const back = failureError(structuredClone(failure));
    expect(back).toBeInstanceOf(InputError);
    expect([back.message, (back as InputError).file, (back as InputError).line, (back as InputError).reason]).toEqual(['t.jsonl:3: not JSON', 't.jsonl', 3, 'not JSON']);
    expect(failureError(jobFailure(new InputError('gone.jsonl', 0, 'no such file'))).message).toBe('gone.jsonl: no such file');
  });

  it('anything else keeps its message, and comes back as a plain Error', () => {
    expect(jobFailure(new RangeError('Invalid array length'))).toEqual({ kind: 'other', message: 'Invalid array length' });
    expect(jobFailure('a thrown string')).toEqual({ kind: 'other', message: 'a thrown string' });
    const back = failureError({ kind: 'other', message: 'worker died' });
    expect(back).not.toBeInstanceOf(InputError);
    expect([back.constructor, back.message]).toEqual([Error, 'worker died']);
  });
});
