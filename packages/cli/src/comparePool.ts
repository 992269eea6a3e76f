import { Worker } from 'node:worker_threads';
import { failureError, jobFailure, runCompareJob, type CompareJob, type CompareResult, type JobFailure } from './compareRun.js';
import type { WorkerAnswer, WorkerJob } from './compareWorker.js';

/** Told when a job has finished: its index and result. */
export type JobDone = (index: number, result: CompareResult) => void;

/** What the pool uses of a worker thread (a `Worker` of node:worker_threads running compareWorker). */
export interface PoolWorker {
  postMessage(job: WorkerJob): void;
  on(event: 'message', listener: (answer: WorkerAnswer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  terminate(): unknown;
}

/** Starts a worker thread for the pool. */
export type StartWorker = () => PoolWorker;

/** The worker thread of `lmm compare`: compareWorker.js beside this module (built: dist/). */
const startCompareWorker: StartWorker = () => new Worker(new URL('./compareWorker.js', import.meta.url));

/**
 * Runs every job and returns the results in job order. With `threads` 1 the jobs run one
 * after another in this thread; else on that many worker threads (at most one per job), each
 * taking the next job as it finishes one.
 *
 * A job that fails fails the whole: the failure reported is the one of the lowest job index
 * that fails, as running them in order would report, whatever the threads — no job after it
 * is started, jobs after it still running are stopped, jobs before it run to the end.
 * `startWorker` starts each thread (tests pass the built worker, or one of their own).
 */
export async function runJobs(jobs: readonly CompareJob[], threads: number, onDone: JobDone = () => {}, startWorker: StartWorker = startCompareWorker): Promise<CompareResult[]> {
  const results: CompareResult[] = new Array<CompareResult>(jobs.length);
  if (threads <= 1 || jobs.length <= 1) {
    for (let i = 0; i < jobs.length; i++) {
      results[i] = await runCompareJob(jobs[i]!);
      onDone(i, results[i]!);
    }
    return results;
  }
  return new Promise<CompareResult[]>((resolve, reject) => {
    let next = 0;
    let finished = 0;
    let failed: { index: number; failure: JobFailure } | undefined;
    const running = new Map<PoolWorker, number>();
    const idle: PoolWorker[] = [];
    const settle = (): void => {
      // Done when nothing that could still come first is running.
      if (failed !== undefined) {
        if ([...running.values()].some((i) => i < failed!.index)) return;
        for (const w of [...running.keys(), ...idle]) void w.terminate();
        reject(failureError(failed.failure));
        return;
      }
      if (finished === jobs.length) {
        for (const w of idle) void w.terminate();
        resolve(results);
      }
    };
    const dispatch = (w: PoolWorker): void => {
      if (failed !== undefined || next >= jobs.length) {
        idle.push(w);
        return;
      }
      const index = next++;
      running.set(w, index);
      w.postMessage({ index, job: jobs[index]! });
    };
    const fail = (index: number, failure: JobFailure): void => {
      if (failed === undefined || index < failed.index) failed = { index, failure };
      // Jobs after the failure cannot change the outcome: stop them.
      for (const [w, i] of running) {
        if (i > failed.index) {
          running.delete(w);
          void w.terminate();
        }
      }
    };
    const count = Math.min(threads, jobs.length);
    for (let k = 0; k < count; k++) {
      const w = startWorker();
      w.on('message', (answer: WorkerAnswer) => {
        running.delete(w);
        if ('failure' in answer) fail(answer.index, answer.failure);
        else {
          results[answer.index] = answer.result;
          finished++;
          if (failed === undefined) onDone(answer.index, answer.result);
        }
        dispatch(w);
        settle();
      });
      w.on('error', (e: Error) => {
        const index = running.get(w);
        running.delete(w);
        fail(index ?? -1, jobFailure(e));
        settle();
      });
      dispatch(w);
    }
  });
}
