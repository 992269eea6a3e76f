import type { CommandSpec, OptionSpec } from './commandSpec.js';
import { LAYOUT_VALUES, POLICY_VALUES } from './sharedOptions.js';

/** The options of `lmm run` (SPEC §5), parsed and documented from here. */
export const RUN_OPTIONS = {
  format: { type: 'string', value: 'auto|jsonl|valgrind|rep', default: 'auto', help: "the trace's format: lmm's command JSONL, a valgrind --trace-malloc=yes log or a malloc-lab .rep file; auto tells them apart by their content" },
  families: {
    type: 'string',
    value: 'single|pow2|exact',
    default: 'single',
    help: "how the requests of a valgrind or .rep trace (sizes only) become families: single, one family 'heap' of 1-byte structs; pow2, size classes c8 … c2048 and 'large'; exact, a family per size. JSONL traces name their own families",
  },
  layout: {
    type: 'string',
    value: LAYOUT_VALUES,
    default: 'seed',
    help: 'the heap geometry, page size:page header bytes:meta block bytes: seed 4096:0:28 (the notes), lmm64 4096:24:48 (the C reference on x86-64), lmm32 4096:12:28, or any PAGE:HEADER:META',
  },
  policy: { type: 'string', value: POLICY_VALUES, default: 'worst-fit', help: 'how alloc chooses a free block of the family' },
  switch: {
    type: 'string',
    value: 'CMD:POLICY',
    help: 'a what-if branch: commands 1…CMD under --policy, the rest under POLICY (CMD 0: all of them), the engine switching its policy in place; the fact log header records the switch, and lmm diff against the run without it parts after CMD',
  },
  'max-pages': { type: 'string', value: 'N', default: 'no limit', help: 'a page limit: a command whose page request would take the pages in use above N is rejected (E_OUT_OF_MEMORY) and changes nothing' },
  facts: { type: 'string', value: 'LOG', file: 'output', help: 'write the fact log (what happened, fact by fact) to LOG, for show, stats, diff and view; - writes it to standard output and the summary to stderr' },
  state: { type: 'string', value: 'FILE', file: 'output', help: 'write the final state dump (JSON: families, pages, blocks, free queues) to FILE; - for standard output' },
  json: { type: 'boolean', help: 'print the statistics as one JSON object ({total, families, peak, commands, facts, rejected}) instead of the text summary' },
} as const satisfies Readonly<Record<string, OptionSpec>>;

/** `lmm run`: its arguments, options and help. */
export const RUN_SPEC: CommandSpec<typeof RUN_OPTIONS> = {
  name: 'run',
  summary: 'run a trace through the memory manager; write its fact log and final state; print the peak and the final statistics',
  description: [
    'Runs every command of TRACE through the simulated memory manager and prints a summary: the peak (live bytes, heap bytes and utilization, and the command after which each was first reached), then the statistics of the final state, per family and in total, and the rejected commands by code. Rejected commands are facts of the run, not failures.',
    "A trace may set its own options on a line '# lmm: --layout seed --max-pages 2' among the comment lines before its first command: the first such line is applied (options given on the command line win) and lmm says so on stderr. It may set --format, --families, --layout, --policy, --switch and --max-pages.",
  ],
  args: [{ name: 'TRACE', input: true, help: 'the trace to run: a command JSONL file (one {"op": …} per line), a valgrind log or a malloc-lab .rep file; - reads standard input' }],
  options: RUN_OPTIONS,
  examples: [
    { command: 'lmm run scenarios/testapp.jsonl', note: 'the summary of a bundled scenario' },
    { command: 'lmm run scenarios/testapp.jsonl --layout lmm64 --facts t.jsonl --state t.json', note: 'the fact log and final state, for lmm show, stats, diff and view' },
    { command: 'lmm run prog.valgrind.log --families pow2 --policy best-fit --json', note: 'a real program’s trace under best fit, statistics as JSON' },
    { command: 'lmm run - --facts - < trace.jsonl | lmm show - --at 10', note: 'in a pipe: the log on standard output, the summary on stderr' },
  ],
};
