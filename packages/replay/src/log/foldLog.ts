import { NO_PEAK, nextPeak, type HeapState, type Peak } from '@lmm/core';
import { readFactLog, type LogHeader, type ReadFactLogOptions } from '../formats/factLog.js';
import { InputError } from '../formats/inputError.js';
import { LogFolder, type CommandVisitor } from './logFolder.js';

/** Options of `foldLog`. */
export interface FoldLogOptions extends ReadFactLogOptions {
  /** Stop after this command (the rest of the file is not read). Default: fold to the end. */
  readonly to?: number;
  /** Called after every command with a read-only view of the state (valid during the call only). */
  readonly onCommand?: CommandVisitor;
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
  /** Peak live and heap bytes over commands 1…`commands`. */
  readonly peak: Peak;
}

/**
 * Streams a fact log and folds it (SPEC §2 inv. 10) up to command `to` or the end, holding
 * only the state, not the log. The single-pass way to the state or statistics at one point;
 * use `ReplayLog` to visit many points. Bad input is an InputError naming file and line.
 */
export async function foldLog(path: string, options: FoldLogOptions = {}): Promise<FoldedLog> {
  const file = options.displayName ?? path;
  const to = options.to ?? Infinity;
  let folder: LogFolder | undefined;
  let peak = NO_PEAK;
  let complete = true;
  const visit: CommandVisitor = (cmd, facts, state) => {
    peak = nextPeak(peak, state);
    options.onCommand?.(cmd, facts, state);
  };
  reading: for await (const item of readFactLog(path, options)) {
    if (!Array.isArray(item)) {
      folder = new LogFolder(item, file, visit);
      continue;
    }
    for (const lf of item) {
      if (lf.fact.cmd > to) {
        complete = false;
        break reading;
      }
      folder!.push(lf);
    }
  }
  if (folder === undefined) throw new InputError(file, 1, 'empty file: expected a fact log header');
  folder.end();
  return { header: folder.header, commands: folder.commands, complete, state: folder.state(), peak };
}
