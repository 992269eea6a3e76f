import { statSync } from 'node:fs';
import type { RunPeak } from '@lmm/events';
import { foldLog, InputError, ReplayLog, SeekableLog, type FoldedLog, type FoldLogOptions } from '@lmm/replay';
import type { At } from './atOption.js';
import { printNote, printWarning, type CliIo } from './cliIo.js';
import { fileProgress } from './progress.js';
import { userPath } from './paths.js';
import { UsageError } from './usageError.js';

/**
 * True when the log named on the command line is a regular file (a symbolic link to one
 * included): such a log is read through its index (`LOG.idx`, beside it). Anything else —
 * `-`, a pipe, a FIFO, a process substitution — can be read only once, front to back.
 */
export function isSeekable(file: string): boolean {
  if (file === '-') return false;
  try {
    return statSync(userPath(file)).isFile();
  } catch {
    return false; // the reader reports what is wrong with it
  }
}

/** A log opened for seeking by a command, and the notes about its index to print once the command has succeeded. */
export interface OpenedLog {
  readonly log: SeekableLog;
  /** One-line notes (an index that cannot be written, kept in memory): printed on stderr after the output, never before an error. */
  readonly notes: readonly string[];
}

/**
 * Opens the fact log named on the command line (a regular file) for seeking: its index is
 * read, or built — with a progress bar, and without a word: the same output whether the
 * index was there or not — when it is missing or not the log's. A reader's
 * warning (a cut-off last line) is printed on `io.stderr`. Undefined when the log is refused (bad input):
 * the caller then reads it front to back as a log without an index is read, which refuses
 * it with the same message — or, reading only up to a command before the fault, does not.
 */
export async function openLog(io: CliIo, command: string, file: string, strict: boolean): Promise<OpenedLog | undefined> {
  const { bar, onProgress } = fileProgress(`lmm ${command}: indexing ${file}`);
  const notes: string[] = [];
  const warnings: Error[] = [];
  let log: SeekableLog;
  try {
    log = await SeekableLog.open(userPath(file), { displayName: file, strict, onWarning: (e) => warnings.push(e), onProgress, onNote: (m, kind) => kind === 'in-memory' && notes.push(m) });
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  } finally {
    bar.done();
  }
  for (const w of warnings) printWarning(io, w.message);
  return { log, notes };
}

/** The command `at` names in a log of `commands` commands with peaks `peak` (the end when undefined); a usage error past its end. */
export function commandAt(command: string, file: string, at: At | undefined, commands: number, peak: RunPeak): number {
  if (at === undefined) return commands;
  if (at === 'peak-live') return peak.liveCmd;
  if (at === 'peak-heap') return peak.heapCmd;
  if (at > commands) throw new UsageError(`${command}: --at ${at} is past the end of ${file} (${commands} commands)`);
  return at;
}

/**
 * The state after command `at` (a number, a peak, or the end) of the fact log named on the
 * command line, with the peaks up to it. A regular file is read through its index: one
 * checkpoint and the commands after it (`SeekableLog.at`); anything else, or a log the index
 * cannot be built for, is folded front to back (`foldLogAt`), so both accept and refuse the
 * same logs with the same messages.
 */
export async function stateAt(io: CliIo, command: string, file: string, at: At | undefined, strict: boolean): Promise<FoldedLog> {
  if (isSeekable(file)) {
    const opened = await openLog(io, command, file, strict);
    if (opened !== undefined) {
      const { log, notes } = opened;
      try {
        const cmd = commandAt(command, file, at, log.commands, log.peak);
        const { state, peak } = await log.at(cmd);
        for (const n of notes) printNote(io, n);
        return { header: log.header, commands: cmd, complete: cmd === log.commands, state, peak };
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
      } finally {
        await log.close();
      }
    }
  }
  return foldLogAt(io, command, file, at, { strict });
}

/**
 * Folds the fact log named on the command line up to command `at` (or the end), front to
 * back, with a progress bar while it reads. `--at` past the log's end is a usage error
 * naming its length. A peak (`peak-live`, `peak-heap`) is not known before the end: the log
 * is then read once into a `ReplayLog` (`loadAtPeak`), which gives the state at the peak
 * without reading the file again (standard input reads once); `onBatch` is not called then.
 */
export async function foldLogAt(io: CliIo, command: string, file: string, at: At | undefined, options: Omit<FoldLogOptions, 'to' | 'displayName' | 'onProgress'> = {}): Promise<FoldedLog> {
  if (typeof at === 'string') {
    const { log, cmd } = await loadAtPeak(io, command, file, at, options.strict === true);
    return { header: log.header, commands: cmd, complete: cmd === log.commands, state: log.seek(cmd), peak: runPeakOf(log, cmd) };
  }
  const { bar, onProgress } = fileProgress(`lmm ${command}: reading ${file}`);
  let folded: FoldedLog;
  try {
    folded = await foldLog(userPath(file), { ...options, displayName: file, onProgress, onWarning: (e) => printWarning(io, e.message), ...(at === undefined ? {} : { to: at }) });
  } finally {
    bar.done();
  }
  if (at !== undefined && folded.commands < at) throw new UsageError(`${command}: --at ${at} is past the end of ${file} (${folded.commands} commands)`);
  return folded;
}

/** Reads a whole fact log for replay (one pass, with a progress bar) and finds the command a peak `at` names. */
export async function loadAtPeak(io: CliIo, command: string, file: string, at: 'peak-live' | 'peak-heap', strict: boolean): Promise<{ log: ReplayLog; cmd: number }> {
  const { bar, onProgress } = fileProgress(`lmm ${command}: reading ${file}`);
  let log: ReplayLog;
  try {
    log = await ReplayLog.load(userPath(file), { displayName: file, strict, onProgress, onWarning: (e) => printWarning(io, e.message) });
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

