import type { CommandSpec, OptionSpec } from './commandSpec.js';
import { LAYOUT_VALUES, POLICY_VALUES } from './sharedOptions.js';

/** The options of `lmm compare` (SPEC §5). */
export const COMPARE_OPTIONS = {
  policies: { type: 'string', value: 'P,…', default: 'all policies', help: `the policies to run, separated by commas (${POLICY_VALUES.replaceAll('|', ', ')})` },
  layouts: { type: 'string', value: 'L,…', default: 'seed', help: `the layouts to run, separated by commas (${LAYOUT_VALUES.replaceAll('|', ', ')})` },
  families: { type: 'string', value: 'F,…', default: 'single', help: 'the family mappings of valgrind and .rep traces to run, separated by commas (single, pow2, exact)' },
  'max-pages': { type: 'string', value: 'N', default: 'no limit', help: 'a page limit for every run (see lmm run --help)' },
  jobs: { type: 'string', value: 'N', default: 'the number of CPUs', help: 'runs at once, each on its own worker thread; 1 runs them one after another in the process' },
  json: { type: 'boolean', help: 'print {"runs": [{trace, layout, families, policy, commands, rejected, peakLiveBytes, peakHeapBytes, peakUtilization, peakPages, final}]} instead of the table' },
  csv: { type: 'boolean', help: 'print the same fields as CSV columns (the final statistics prefixed final.)' },
  output: { type: 'string', short: 'o', value: 'FILE.html', file: 'output', help: 'also write a self-contained page charting each run: peak utilization per trace and policy, live and heap bytes over time' },
} as const satisfies Readonly<Record<string, OptionSpec>>;

/** `lmm compare`: its arguments, options and help. */
export const COMPARE_SPEC: CommandSpec<typeof COMPARE_OPTIONS> = {
  name: 'compare',
  summary: 'run traces under every combination of policies, layouts and family mappings, side by side',
  description: [
    'Runs every TRACE under every combination of the lists given (each run independent, spread over --jobs worker threads) and prints one row per run, in the order the lists give (trace, then layout, then families, then policy): commands, peak live and heap bytes, peak pages, peak utilization, final external fragmentation, page requests, avoidable growth (page requests made while the family’s free bytes would have held the block) and rejected commands, with the best peak utilization of each trace marked *.',
    'The output is the same whatever --jobs. A trace that cannot be read fails the whole command (its file and line, exit 2): nothing is printed and no page is written.',
  ],
  args: [{ name: 'TRACE', input: true, variadic: true, help: 'the traces to run, their format told by content (as for lmm run); each is read once per run, so not standard input' }],
  options: COMPARE_OPTIONS,
  examples: [
    { command: 'lmm compare prog.valgrind.log --families pow2', note: 'which policy wastes least on this program' },
    { command: 'lmm compare a.jsonl b.jsonl --policies worst-fit,best-fit --csv > runs.csv' },
  ],
};
