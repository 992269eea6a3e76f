/**
 * A worker thread of `lmm compare --jobs N`: runs each job it is sent (`runCompareJob`) and
 * answers with the result or the failure, tagged with the job's index.
 */
import { parentPort } from 'node:worker_threads';
import { jobFailure, runCompareJob, type CompareJob, type CompareResult, type JobFailure } from './compareRun.js';

/** A job sent to a worker. */
export interface WorkerJob {
  readonly index: number;
  readonly job: CompareJob;
}

/** A worker's answer to one job. */
export type WorkerAnswer = { readonly index: number; readonly result: CompareResult } | { readonly index: number; readonly failure: JobFailure };

const port = parentPort;
if (port !== null) {
  port.on('message', ({ index, job }: WorkerJob) => {
    runCompareJob(job).then(
      (result) => port.postMessage({ index, result } satisfies WorkerAnswer),
      (e: unknown) => port.postMessage({ index, failure: jobFailure(e) } satisfies WorkerAnswer),
    );
  });
}
