import type { CommandSpec, OptionSpec } from './commandSpec.js';
import { AT_OPTION, jsonOption, STRICT_OPTION } from './sharedOptions.js';

/** The options of `lmm show` (SPEC §5). */
export const SHOW_OPTIONS = {
  at: AT_OPTION,
  json: jsonOption('the state dump (SPEC §3: families, pages, blocks, free queues)'),
  strict: STRICT_OPTION,
} as const satisfies Readonly<Record<string, OptionSpec>>;

/** `lmm show`: its arguments, options and help. */
export const SHOW_SPEC: CommandSpec<typeof SHOW_OPTIONS> = {
  name: 'show',
  summary: 'the heap after a command of a run: every family, page (drawn to scale) and block, and the free queues',
  description: [
    'Folds the fact log LOG up to command AT and prints the heap as it was then: a line on the heap, then each family with its pages (newest first) drawn to scale (# allocated data, . free, : meta blocks, headers and gaps) and listed block by block, then its free queue in order.',
  ],
  args: [{ name: 'LOG', input: true, help: 'a fact log written by lmm run --facts; - reads standard input' }],
  options: SHOW_OPTIONS,
  examples: [
    { command: 'lmm show g.jsonl --at 12', note: 'the heap after command 12' },
    { command: 'lmm show g.jsonl --at peak-heap', note: 'the heap when it was biggest' },
    { command: 'lmm show g.jsonl --json > final.json', note: 'the final state dump' },
  ],
};
