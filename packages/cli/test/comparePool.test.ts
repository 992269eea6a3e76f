/**
 * `runJobs` in this thread (one thread, or one job whatever the threads: no worker is
 * started, which in the sources would find no built worker): the results in job order, each
 * told as it ends, and the first failure ending the whole with no later job started.
 * The worker threads themselves run from dist/ in test/compare.cli.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUTS, type Policy } from '@lmm/core';
import { InputError } from '@lmm/replay';
import { runJobs } from '../src/comparePool.js';
import { runCompareJob, type CompareJob, type CompareResult } from '../src/compareRun.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-compare-pool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
writeFileSync(join(tmp, 'ok.jsonl'), '{"op":"register","family":"a","size":8}\n{"op":"alloc","id":"x","family":"a","units":3}\n{"op":"free","id":"y"}\n');
writeFileSync(join(tmp, 'bad.jsonl'), '{"op":"register","family":"a","size":8}\n{"op":\n');

const job = (file: string, policy: Policy): CompareJob => ({ trace: file, path: join(tmp, file), layoutName: 'seed', layout: LAYOUTS.seed, families: 'single', policy, maxPages: null, series: false });

describe('runJobs in this thread', () => {
  it('one thread: each job in order, told as it ends, the results in job order', async () => {
    const jobs = [job('ok.jsonl', 'worst-fit'), job('ok.jsonl', 'best-fit'), job('ok.jsonl', 'first-fit')];
    const told: [number, CompareResult][] = [];
    const results = await runJobs(jobs, 1, (i, r) => told.push([i, r]));
    const alone = await Promise.all(jobs.map((j) => runCompareJob(j)));
    expect(results).toEqual(alone);
    expect(results.map((r) => [r.row.policy, r.row.commands, r.row.rejected])).toEqual([
      ['worst-fit', 3, 1],
      ['best-fit', 3, 1],
      ['first-fit', 3, 1],
    ]);
    expect(told).toEqual(alone.map((r, i) => [i, r]));
  });

  it('one job with many threads, and no job at all, start no worker', async () => {
    expect(await runJobs([job('ok.jsonl', 'best-fit')], 8)).toEqual([await runCompareJob(job('ok.jsonl', 'best-fit'))]);
    expect(await runJobs([], 8)).toEqual([]);
  });

  it('the first job that fails ends the whole with its error; no job after it runs', async () => {
    const told: number[] = [];
    const e = await runJobs([job('ok.jsonl', 'worst-fit'), job('bad.jsonl', 'worst-fit'), job('missing.jsonl', 'worst-fit')], 1, (i) => told.push(i)).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/^bad\.jsonl:2: /);
    expect(told).toEqual([0]);
  });
});
