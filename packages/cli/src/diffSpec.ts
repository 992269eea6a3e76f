import type { CommandSpec, OptionSpec } from './commandSpec.js';
import { AT_OPTION, jsonOption, STRICT_OPTION } from './sharedOptions.js';

/** The options of `lmm diff` (SPEC §5). */
export const DIFF_OPTIONS = {
  at: { ...AT_OPTION, default: 'the command where the logs part, or the end when they do not' },
  json: jsonOption('{"firstDivergence": null | {cmd, a, b}, "changes": […]}'),
  strict: STRICT_OPTION,
} as const satisfies Readonly<Record<string, OptionSpec>>;

/** `lmm diff`: its arguments, options and help. */
export const DIFF_SPEC: CommandSpec<typeof DIFF_OPTIONS> = {
  name: 'diff',
  summary: 'where two runs first part (the first fact that differs) and how their heaps differ at a command',
  description: [
    'Compares the fact logs of two runs (facts compared without their seq numbers): prints the first command at which they differ with both facts, then every difference between the two heaps after command AT (families, pages, blocks, free queue order).',
  ],
  args: [
    { name: 'A', input: true, help: 'the fact log of the first run; - reads standard input' },
    { name: 'B', input: true, help: 'the fact log of the second run; - reads standard input (one of A and B at most)' },
  ],
  options: DIFF_OPTIONS,
  examples: [
    { command: 'lmm diff worst.jsonl best.jsonl', note: 'where worst fit and best fit part, and the heaps there' },
    { command: 'lmm diff worst.jsonl best.jsonl --at peak-heap --json' },
  ],
};
