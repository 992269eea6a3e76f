/**
 * A worker thread of `lmm compare --jobs N`: runs each job it is sent (`jobOutcome`) and
 * answers with the result or the failure, tagged with the job's index.
 */
import { parentPort } from 'node:worker_threads';
import { jobOutcome, type CompareJob, type CompareResult, type JobFailure } from './compareRun.js';

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
    void jobOutcome(job).then((outcome) => port.postMessage({ index, ...outcome } satisfies WorkerAnswer));
  });
}
