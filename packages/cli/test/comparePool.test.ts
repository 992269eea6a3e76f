/**
 * `runJobs`: in this thread (one thread, or one job whatever the threads: no worker is
 * started), the results in job order, each told as it ends, and the first failure ending the
 * whole with no later job started. On workers the test answers by hand (`HandWorker`, each
 * job run in this thread when the test says), the pool's rules whatever the order jobs end
 * in: a job per worker at a time, results in job order, the failure of the lowest job index
 * reported once no job before it runs, later jobs stopped. On the built worker threads
 * (dist/compareWorker.js: `pnpm build` first), the same results as in this thread.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUTS, type Policy } from '@lmm/core';
import { InputError } from '@lmm/replay';
import { runJobs, type PoolWorker } from '../src/comparePool.js';
import { jobOutcome, runCompareJob, type CompareJob, type CompareResult } from '../src/compareRun.js';
import type { WorkerAnswer, WorkerJob } from '../src/compareWorker.js';

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

/** A worker the test answers by hand: it keeps the jobs posted to it until `answer` runs one. */
class HandWorker extends EventEmitter implements PoolWorker {
  readonly posted: number[] = [];
  terminated = false;
  constructor(private readonly hands: Hands) {
    super();
  }
  postMessage({ index, job }: WorkerJob): void {
    this.posted.push(index);
    this.hands.pending.set(index, { worker: this, job });
  }
  terminate(): void {
    this.terminated = true;
  }
}

/** The hand workers of one `runJobs`, and the jobs they were given and not yet answered. */
class Hands {
  readonly workers: HandWorker[] = [];
  readonly pending = new Map<number, { worker: HandWorker; job: CompareJob }>();
  readonly start = (): PoolWorker => {
    const w = new HandWorker(this);
    this.workers.push(w);
    return w;
  };
  /** Runs job `index` in this thread and has its worker send the outcome. */
  async answer(index: number): Promise<void> {
    const p = this.pending.get(index);
    if (p === undefined) throw new Error(`job ${index} is not running`);
    this.pending.delete(index);
    p.worker.emit('message', { index, ...(await jobOutcome(p.job)) } satisfies WorkerAnswer);
  }
  /** The job each worker runs now (undefined: none), by worker. */
  running(): (number | undefined)[] {
    return this.workers.map((w) => [...this.pending].find(([, p]) => p.worker === w)?.[0]);
  }
}

/** The promise's state once the microtasks queued now have run: 'pending', or what it settled to. */
async function state<T>(p: Promise<T>): Promise<{ ok: T } | { error: unknown } | 'pending'> {
  let settled: { ok: T } | { error: unknown } | 'pending' = 'pending';
  p.then(
    (ok) => (settled = { ok }),
    (error: unknown) => (settled = { error }),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('runJobs on workers answered by hand', () => {
  it('a worker per job up to the threads, each given the next job as it answers; results in job order, each told as it ends', async () => {
    const jobs = [job('ok.jsonl', 'worst-fit'), job('ok.jsonl', 'best-fit'), job('ok.jsonl', 'first-fit'), job('ok.jsonl', 'address-first-fit')];
    const hands = new Hands();
    const told: number[] = [];
    const all = runJobs(jobs, 2, (i) => told.push(i), hands.start);
    // Two threads: two workers, jobs 0 and 1 posted at once.
    expect(hands.running()).toEqual([0, 1]);
    await hands.answer(1);
    expect(hands.running()).toEqual([0, 2]);
    await hands.answer(2);
    expect(hands.running()).toEqual([0, 3]);
    await hands.answer(3);
    // Nothing left to give: worker 1 waits, the whole waits for job 0.
    expect(hands.running()).toEqual([0, undefined]);
    expect(await state(all)).toBe('pending');
    expect(hands.workers.map((w) => w.terminated)).toEqual([false, false]);
    await hands.answer(0);
    expect(await all).toEqual(await Promise.all(jobs.map((j) => runCompareJob(j))));
    expect(told).toEqual([1, 2, 3, 0]);
    expect(hands.workers.map((w) => [w.posted, w.terminated])).toEqual([
      [[0], true],
      [[1, 2, 3], true],
    ]);
  });

  it('more threads than jobs: one worker per job', async () => {
    const hands = new Hands();
    const all = runJobs([job('ok.jsonl', 'worst-fit'), job('ok.jsonl', 'best-fit')], 8, undefined, hands.start);
    expect(hands.running()).toEqual([0, 1]);
    await hands.answer(0);
    await hands.answer(1);
    expect((await all).map((r) => r.row.policy)).toEqual(['worst-fit', 'best-fit']);
  });

  it('a failure waits for the jobs before it, stops those after it, starts no other; nothing is told after it', async () => {
    // Job 1 fails (bad.jsonl:2); jobs 0, 2 and 3 would succeed.
    const jobs = [job('ok.jsonl', 'worst-fit'), job('bad.jsonl', 'worst-fit'), job('ok.jsonl', 'first-fit'), job('ok.jsonl', 'best-fit')];
    const hands = new Hands();
    const told: number[] = [];
    const all = runJobs(jobs, 3, (i) => told.push(i), hands.start);
    expect(hands.running()).toEqual([0, 1, 2]);
    await hands.answer(1);
    // Job 2 comes after the failure: its worker is stopped. Job 3 is never posted.
    expect(hands.workers.map((w) => w.terminated)).toEqual([false, false, true]);
    expect(await state(all)).toBe('pending');
    await hands.answer(0);
    const e = (await state(all)) as { error: unknown };
    expect(e.error).toBeInstanceOf(InputError);
    expect((e.error as InputError).message).toMatch(/^bad\.jsonl:2: /);
    expect(told).toEqual([]);
    expect(hands.workers.map((w) => [w.posted, w.terminated])).toEqual([
      [[0], true],
      [[1], true],
      [[2], true],
    ]);
  });

  it('the failure reported is the one of the lowest job index, whatever the order they come in', async () => {
    const jobs = [job('bad.jsonl', 'worst-fit'), job('missing.jsonl', 'worst-fit')];
    // Job 1 fails first, then job 0: job 0's failure.
    const late = new Hands();
    const lateAll = runJobs(jobs, 2, undefined, late.start);
    await late.answer(1);
    expect(await state(lateAll)).toBe('pending');
    await late.answer(0);
    expect(((await state(lateAll)) as { error: Error }).error.message).toMatch(/^bad\.jsonl:2: /);
    // Job 0 fails first: over at once, job 1 stopped unanswered.
    const early = new Hands();
    const earlyAll = runJobs(jobs, 2, undefined, early.start);
    await early.answer(0);
    expect(((await state(earlyAll)) as { error: Error }).error.message).toMatch(/^bad\.jsonl:2: /);
    expect(early.workers.map((w) => w.terminated)).toEqual([true, true]);
  });

  it('a worker that dies fails its job with its error; one that dies idle fails the whole at once', async () => {
    const jobs = [job('ok.jsonl', 'worst-fit'), job('ok.jsonl', 'best-fit')];
    const busy = new Hands();
    const busyAll = runJobs(jobs, 2, undefined, busy.start);
    busy.workers[1]!.emit('error', new Error('worker out of memory'));
    expect(await state(busyAll)).toBe('pending');
    await busy.answer(0);
    const e = (await state(busyAll)) as { error: Error };
    expect([e.error.constructor, e.error.message]).toEqual([Error, 'worker out of memory']);
    // Three jobs on two workers: worker 1 answers job 1, gets job 2, answers it, idles, then dies.
    const idle = new Hands();
    const idleAll = runJobs([...jobs, job('ok.jsonl', 'first-fit')], 2, undefined, idle.start);
    await idle.answer(1);
    await idle.answer(2);
    expect(idle.running()).toEqual([0, undefined]);
    idle.workers[1]!.emit('error', new Error('gone'));
    expect(((await state(idleAll)) as { error: Error }).error.message).toBe('gone');
    expect(idle.workers.map((w) => w.terminated)).toEqual([true, true]);
  });
});

describe('runJobs on the built worker threads', () => {
  // The built worker (tsc -b): a worker thread runs JavaScript, and its own @lmm imports
  // resolve to the built packages (execArgv [] leaves out vitest's lmm-source condition).
  const built = new URL('../dist/compareWorker.js', import.meta.url);
  const start = (): PoolWorker => new Worker(built, { execArgv: [] });

  it('the same results as in this thread, and an input error with its file and line', async () => {
    expect(existsSync(fileURLToPath(built)), 'packages/cli/dist/compareWorker.js: run pnpm build first').toBe(true);
    const jobs = [job('ok.jsonl', 'worst-fit'), job('ok.jsonl', 'best-fit'), job('ok.jsonl', 'first-fit')];
    const told: number[] = [];
    expect(await runJobs(jobs, 2, (i) => told.push(i), start)).toEqual(await runJobs(jobs, 1));
    expect([...told].sort()).toEqual([0, 1, 2]);
    const e = await runJobs([job('ok.jsonl', 'worst-fit'), job('bad.jsonl', 'worst-fit')], 2, undefined, start).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InputError);
    expect([(e as InputError).file, (e as InputError).line]).toEqual(['bad.jsonl', 2]);
  });
});
