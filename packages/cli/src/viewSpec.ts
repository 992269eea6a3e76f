import type { CommandSpec, OptionSpec } from './commandSpec.js';
import { AT_OPTION, STRICT_OPTION } from './sharedOptions.js';

/** The options of `lmm view` (SPEC §5). */
export const VIEW_OPTIONS = {
  vs: { type: 'string', value: 'B', file: 'input', help: 'a second run’s fact log, shown beside the first at the same command, with where they part and the blocks that differ marked' },
  at: { ...AT_OPTION, default: 'peak-heap', help: 'the command the page opens at: a command number, peak-live or peak-heap (of the first run); the URL’s #N still wins' },
  output: {
    type: 'string',
    short: 'o',
    value: 'FILE.html',
    file: 'output',
    help: 'where to write the page (self-contained: no network needed to open it); - for standard output. Required unless --serve. A log over 256 MiB (about 1.4 million commands) is refused: serve it instead',
  },
  serve: {
    type: 'boolean',
    help: 'serve the page on a local HTTP server (127.0.0.1 only) that sends it the state of each command it shows, read through the log’s index (LOG.idx) for a log of any length; prints the page’s address and serves until interrupted (Ctrl-C)',
  },
  port: { type: 'string', value: 'N', default: 'a free port', help: 'with --serve: the port to listen on (1–65535)' },
  strict: STRICT_OPTION,
} as const satisfies Readonly<Record<string, OptionSpec>>;

/** `lmm view`: its arguments, options and help. */
export const VIEW_SPEC: CommandSpec<typeof VIEW_OPTIONS> = {
  name: 'view',
  summary: 'a page to look at the heap and step through a run (or two side by side)',
  description: [
    'Writes a self-contained HTML page that draws the heap to scale and steps through the run command by command: a timeline of live and heap bytes, the facts of each command, the statistics. It opens at the peak (the first command after which the heap was biggest), with buttons to the start, the peaks and the end. With --vs, two runs side by side at the same command, with their first divergence and the blocks that differ marked.',
    'Every fact is checked by folding it through the engine first: a log that does not fold is refused (file and line) and no page is written. Prints the page’s name and size when done.',
    'The page carries every fact, so -o takes logs up to 256 MiB. With --serve instead, lmm serves the same page from 127.0.0.1 and sends it the state of each command it shows: the timeline and chart keep the minimum and maximum of every pixel’s commands, so no peak is lost however long the run. It prints the page’s address on standard output and serves until interrupted.',
  ],
  args: [{ name: 'LOG', input: true, help: 'a fact log written by lmm run --facts; - reads standard input' }],
  options: VIEW_OPTIONS,
  examples: [
    { command: 'lmm view run.jsonl -o run.html', note: 'then open run.html in a browser' },
    { command: 'lmm view worst.jsonl --vs best.jsonl -o compare.html', note: 'two policies side by side' },
    { command: 'lmm view run.jsonl --at peak-live -o run.html', note: 'a page that opens where the most bytes were allocated' },
    { command: 'lmm view big.jsonl --serve --port 8080', note: 'then open http://127.0.0.1:8080/ in a browser' },
  ],
};
