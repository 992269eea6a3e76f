import type { CommandSpec, OptionSpec } from './commandSpec.js';
import { AT_OPTION, jsonOption, STRICT_OPTION } from './sharedOptions.js';

/** The options of `lmm stats` (SPEC §5). */
export const STATS_OPTIONS = {
  at: AT_OPTION,
  json: jsonOption('{total, families, peak} (the statistics of SPEC §3)'),
  csv: { type: 'boolean', help: 'print a time series instead: a header row and one row of total statistics and peaks every N commands (commands 0, N, 2N, … and the last)' },
  every: { type: 'string', value: 'N', default: '1', help: 'with --csv: a row every N commands' },
  strict: STRICT_OPTION,
} as const satisfies Readonly<Record<string, OptionSpec>>;

/** `lmm stats`: its arguments, options and help. */
export const STATS_SPEC: CommandSpec<typeof STATS_OPTIONS> = {
  name: 'stats',
  summary: 'the statistics of a run after a command, per family and in total, with the peak; or a CSV time series',
  description: [
    'Folds the fact log LOG up to command AT and prints its statistics: pages, blocks (TBC total, FBC free, OBC occupied), live and free bytes, internal fragmentation (hardIF: bytes too few for a meta block, left after a block; softIF: free blocks smaller than the family’s struct), external fragmentation (1 − largest free block / free bytes) and utilization (live / heap bytes), per family and in total, and the peak over commands 1…AT.',
  ],
  args: [{ name: 'LOG', input: true, help: 'a fact log written by lmm run --facts; - reads standard input' }],
  options: STATS_OPTIONS,
  examples: [
    { command: 'lmm stats run.jsonl', note: 'the statistics at the end of the run' },
    { command: 'lmm stats run.jsonl --csv --every 100 > series.csv', note: 'a row every 100 commands, for a spreadsheet or a plot' },
  ],
};
