import { lastValueFrom, map, takeWhile, tap } from 'rxjs';
import { initialState, policyAfter, withPolicy, type HeapState } from '@lmm/core';
import { PeakTap, type RunBatch, type RunPeak } from '@lmm/events';
import type { LogHeader, ReadFactLogOptions } from '../formats/factLog.js';
import { openFactLog } from '../formats/openFactLog.js';
import { foldFactLog } from './foldFactLog.js';

/** Options of `foldLog`. */
export interface FoldLogOptions extends ReadFactLogOptions {
  /** Stop after this command (the rest of the file is not read). Default: fold to the end. */
  readonly to?: number;
  /** Also end a batch after every multiple of each of these command counts (see `onBatch`). */
  readonly cutEvery?: readonly number[];
  /** Told what every batch of commands did, with a read-only view of the state after its last command (valid during the call only). */
  readonly onBatch?: (batch: RunBatch) => void;
}

/** What `foldLog` found. */
export interface FoldedLog {
  readonly header: LogHeader;
  /** Commands folded: `to`, or fewer when the log ended first. */
  readonly commands: number;
  /** True when the whole log was read (so `commands` is the log's length). */
  readonly complete: boolean;
  /** The state after the last command folded. */
  readonly state: HeapState;
  /** The peaks over commands 1…`commands`, and the first command each was reached at. */
  readonly peak: RunPeak;
}

/**
 * Streams a fact log and folds it (SPEC §2 inv. 10) through `foldFactLog` — which checks
 * every command — up to command `to` or the end, holding only the state, not the log. The
 * single-pass way to the state or statistics at one point. Bad input is an InputError naming
 * file and line.
 */
export async function foldLog(path: string, options: FoldLogOptions = {}): Promise<FoldedLog> {
  const file = options.displayName ?? path;
  const to = options.to ?? Infinity;
  const { header, batches } = await openFactLog(path, options);
  const peak = new PeakTap(header.layout.pageSize);
  let complete = true;
  let commands = 0;
  let state = withPolicy(initialState({ layout: header.layout, policy: header.policy, maxPages: header.maxPages }), policyAfter(header.policy, header.switch, 0));
  let last: RunBatch | undefined;
  await lastValueFrom(
    batches.pipe(
      tap((b) => {
        if (b.length > 0 && b[b.length - 1]!.cmd > to) complete = false;
      }),
      takeWhile((b) => b.length === 0 || b[0]!.cmd <= to),
      map((b) => (b.length > 0 && b[b.length - 1]!.cmd > to ? b.filter((c) => c.cmd <= to) : b)),
      foldFactLog(header, file, options.cutEvery === undefined ? {} : { cutEvery: options.cutEvery }),
      tap((b) => {
        peak.next(b);
        commands = b.first + b.count - 1;
        last = b;
        options.onBatch?.(b);
      }),
    ),
    { defaultValue: undefined },
  );
  if (last !== undefined) state = last.snapshot();
  return { header, commands, complete, state, peak: peak.peak };
}
