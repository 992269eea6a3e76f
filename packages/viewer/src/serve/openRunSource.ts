import type { LoadReplayOptions } from '@lmm/replay';
import { ReplayRunSource } from './replayRunSource.js';
import type { RunSource } from './runSource.js';

/** Options of `openRunSource`: how to read the log (name in messages, `strict`, warnings, progress). */
export type OpenRunSourceOptions = Pick<LoadReplayOptions, 'displayName' | 'strict' | 'onWarning' | 'onProgress'>;

/**
 * The run `lmm view --serve` serves from the fact log at `path`: today a `ReplayRunSource`
 * (the log checked and folded into memory, about 0.8 GB per million commands). Bad input is
 * an InputError naming file and line.
 */
export function openRunSource(path: string, options: OpenRunSourceOptions = {}): Promise<RunSource> {
  return ReplayRunSource.load(path, options);
}
