import { foldLog, type FoldedLog, type FoldLogOptions } from '@lmm/replay';
import { fileProgress } from './progress.js';
import { userPath } from './paths.js';
import { UsageError } from './usageError.js';

/**
 * Folds the fact log named on the command line up to command `at` (or the end), with a
 * progress bar while it reads. `--at` past the log's end is a usage error naming its length.
 */
export async function foldLogAt(command: string, file: string, at: number | undefined, options: Omit<FoldLogOptions, 'to' | 'displayName' | 'onProgress'> = {}): Promise<FoldedLog> {
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

/** Prints a reader's warning (a cut-off last line) on stderr. */
export function warn(e: Error): void {
  process.stderr.write(`lmm: warning: ${e.message}\n`);
}
