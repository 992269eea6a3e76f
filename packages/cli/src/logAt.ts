import type { RunPeak } from '@lmm/events';
import { foldLog, ReplayLog, type FoldedLog, type FoldLogOptions } from '@lmm/replay';
import type { At } from './atOption.js';
import { fileProgress } from './progress.js';
import { userPath } from './paths.js';
import { UsageError } from './usageError.js';

/**
 * Folds the fact log named on the command line up to command `at` (or the end), with a
 * progress bar while it reads. `--at` past the log's end is a usage error naming its length.
 * A peak (`peak-live`, `peak-heap`) is not known before the end: the log is then read once
 * into a `ReplayLog` (`loadAtPeak`), which gives the state at the peak without reading the
 * file again (standard input reads once); `onBatch` is not called then.
 */
export async function foldLogAt(command: string, file: string, at: At | undefined, options: Omit<FoldLogOptions, 'to' | 'displayName' | 'onProgress'> = {}): Promise<FoldedLog> {
  if (typeof at === 'string') {
    const { log, cmd } = await loadAtPeak(command, file, at, options.strict === true);
    return { header: log.header, commands: cmd, complete: cmd === log.commands, state: log.seek(cmd), peak: runPeakOf(log, cmd) };
  }
  const { bar, onProgress } = fileProgress(`lmm ${command}: reading ${file}`);
  let folded: FoldedLog;
  try {
    folded = await foldLog(userPath(file), { ...options, displayName: file, onProgress, onWarning: warn, ...(at === undefined ? {} : { to: at }) });
  } finally {
    bar.done();
  }
  if (at !== undefined && folded.commands < at) throw new UsageError(`${command}: --at ${at} is past the end of ${file} (${folded.commands} commands)`);
  return folded;
}

/** Reads a whole fact log for replay (one pass, with a progress bar) and finds the command a peak `at` names. */
export async function loadAtPeak(command: string, file: string, at: 'peak-live' | 'peak-heap', strict: boolean): Promise<{ log: ReplayLog; cmd: number }> {
  const { bar, onProgress } = fileProgress(`lmm ${command}: reading ${file}`);
  let log: ReplayLog;
  try {
    log = await ReplayLog.load(userPath(file), { displayName: file, strict, onProgress, onWarning: warn });
  } finally {
    bar.done();
  }
  const peak = runPeakOf(log, log.commands);
  return { log, cmd: at === 'peak-live' ? peak.liveCmd : peak.heapCmd };
}

/** The peaks of a loaded run over commands 1…`upTo`, with the first command each was reached at (as `PeakTap` gives them). */
export function runPeakOf(log: ReplayLog, upTo: number): RunPeak {
  let live = 0;
  let pages = 0;
  let liveCmd = 0;
  let heapCmd = 0;
  for (let c = 1; c <= upTo; c++) {
    if (log.liveBytesAt(c) > live) {
      live = log.liveBytesAt(c);
      liveCmd = c;
    }
    if (log.pagesAt(c) > pages) {
      pages = log.pagesAt(c);
      heapCmd = c;
    }
  }
  const heapBytes = pages * log.header.layout.pageSize;
  return { liveBytes: live, heapBytes, pages, utilization: heapBytes === 0 ? 0 : live / heapBytes, liveCmd, heapCmd };
}

/** Prints a reader's warning (a cut-off last line) on stderr. */
export function warn(e: Error): void {
  process.stderr.write(`lmm: warning: ${e.message}\n`);
}
