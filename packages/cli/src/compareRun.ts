import { lastValueFrom, tap } from 'rxjs';
import { initialState, statsOf, type Layout, type Policy, type Stats } from '@lmm/core';
import { PeakTap, RejectionTap, runCommands, type RunBatch } from '@lmm/events';
import { InputError, traceBatches, type FamilyMapping } from '@lmm/replay';
import { MinMaxSeries, type SeriesBuckets } from './minMaxSeries.js';

/** One run of `lmm compare`: a trace under one layout, family mapping and policy. Plain data (it crosses to worker threads). */
export interface CompareJob {
  /** The trace as written on the command line (shown and printed). */
  readonly trace: string;
  /** The trace's path, resolved against the user's directory. */
  readonly path: string;
  /** The layout as written on the command line, and parsed. */
  readonly layoutName: string;
  readonly layout: Layout;
  readonly families: FamilyMapping;
  readonly policy: Policy;
  readonly maxPages: number | null;
  /** Keep the run's live and heap bytes over time (for `-o`). */
  readonly series: boolean;
}

/** One row of `lmm compare` (SPEC §5), in the field order its JSON prints. */
export interface CompareRow {
  readonly trace: string;
  readonly layout: string;
  readonly families: FamilyMapping;
  readonly policy: Policy;
  readonly commands: number;
  /** Commands rejected (of any code). */
  readonly rejected: number;
  readonly peakLiveBytes: number;
  readonly peakHeapBytes: number;
  /** peakLiveBytes / peakHeapBytes; 0 before any page. */
  readonly peakUtilization: number;
  /** The most pages in use after any command. */
  readonly peakPages: number;
  /** The total statistics after the last command (SPEC §3). */
  readonly final: Stats;
}

/** What a run gives: its row, its series when the job asked for it, and the reader's warnings when it had any. */
export interface CompareResult {
  readonly row: CompareRow;
  readonly series?: SeriesBuckets;
  /** The trace reader's warnings (`FILE:LINE: what`, as `lmm run` prints them), in the order told; absent when there were none. */
  readonly warnings?: readonly string[];
}

/**
 * Runs one job through the pipeline — the trace's batches (format told by content) → the
 * engine (`runCommands`) → peaks (`PeakTap`), rejections (`RejectionTap`) and, for `-o`, the
 * live and heap bytes after every command — and takes the final statistics. Bad input is an
 * InputError naming file and line, as `lmm run` reports it; the reader's warnings (a `.rep`'s
 * lines after its announced operations) are kept in the result, for the caller to print.
 */
export async function runCompareJob(job: CompareJob): Promise<CompareResult> {
  const { pageSize } = job.layout;
  const peaks = new PeakTap(pageSize);
  const counts = new RejectionTap();
  const series = job.series ? new MinMaxSeries() : undefined;
  let state = initialState({ layout: job.layout, policy: job.policy, maxPages: job.maxPages });
  let last: RunBatch | undefined;
  const warnings: string[] = [];
  await lastValueFrom(
    traceBatches(job.path, { layout: job.layout, families: job.families, displayName: job.trace, onWarning: (w) => warnings.push(w.message) }).pipe(
      runCommands(state),
      tap(peaks),
      tap(counts),
      tap((b) => {
        last = b;
        if (series !== undefined) for (let i = 0; i < b.count; i++) series.add(b.liveBytes[i]!, b.pages[i]! * pageSize);
      }),
    ),
    { defaultValue: undefined },
  );
  if (last !== undefined) state = last.snapshot();
  const peak = peaks.peak;
  const row: CompareRow = {
    trace: job.trace,
    layout: job.layoutName,
    families: job.families,
    policy: job.policy,
    commands: counts.commands,
    rejected: Object.values(counts.rejected).reduce((a, b) => a + b, 0),
    peakLiveBytes: peak.liveBytes,
    peakHeapBytes: peak.heapBytes,
    peakUtilization: peak.utilization,
    peakPages: peak.pages,
    final: statsOf(state).total,
  };
  return { row, ...(series === undefined ? {} : { series: series.finish() }), ...(warnings.length === 0 ? {} : { warnings }) };
}

/** A job's failure as plain data (to cross from a worker thread): an input error keeps its file and line. */
export type JobFailure = { readonly kind: 'input'; readonly file: string; readonly line: number; readonly reason: string } | { readonly kind: 'other'; readonly message: string };

/** The failure of an error thrown by `runCompareJob`. */
export function jobFailure(e: unknown): JobFailure {
  if (e instanceof InputError) return { kind: 'input', file: e.file, line: e.line, reason: e.reason };
  return { kind: 'other', message: e instanceof Error ? e.message : String(e) };
}

/** A job's outcome as plain data: its result, or its failure. */
export type JobOutcome = { readonly result: CompareResult } | { readonly failure: JobFailure };

/** Runs a job (`runCompareJob`) to its outcome; never rejects. What a worker thread answers. */
export async function jobOutcome(job: CompareJob): Promise<JobOutcome> {
  try {
    return { result: await runCompareJob(job) };
  } catch (e) {
    return { failure: jobFailure(e) };
  }
}

/** The error a failure stands for, to throw in the main thread. */
export function failureError(f: JobFailure): Error {
  return f.kind === 'input' ? new InputError(f.file, f.line, f.reason) : new Error(f.message);
}
