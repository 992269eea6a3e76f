import { statSync } from 'node:fs';
import type { LoadReplayOptions, OpenLogOptions } from '@lmm/replay';
import { ReplayRunSource } from './replayRunSource.js';
import type { RunSource } from './runSource.js';
import { SeekableRunSource } from './seekableRunSource.js';

/** Options of `openRunSource`: how to read the log (name in messages, `strict`, warnings, progress, notes about its index). */
export type OpenRunSourceOptions = Pick<LoadReplayOptions, 'displayName' | 'strict' | 'onWarning' | 'onProgress'> & Pick<OpenLogOptions, 'onNote'>;

/**
 * The run `lmm view --serve` serves from the fact log at `path`: a regular file is read
 * through its index (`SeekableRunSource`: `LOG.idx` beside it, built once with a checked fold
 * when missing or stale; memory bounded whatever the log's length); anything else — standard
 * input, a pipe — can be read only once, so it is checked and folded into memory
 * (`ReplayRunSource`, about 0.8 GB per million commands). Bad input is an InputError naming
 * file and line.
 */
export function openRunSource(path: string, options: OpenRunSourceOptions = {}): Promise<RunSource> {
  return isFile(path) ? SeekableRunSource.open(path, options) : ReplayRunSource.load(path, options);
}

/** True when `path` is a regular file (a link to one included); false for anything else, or nothing there (the reader says what is wrong). */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
