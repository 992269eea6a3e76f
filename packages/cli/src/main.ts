#!/usr/bin/env node
import { constants as osConstants } from 'node:os';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { abortAllOutputs, describeAborted } from './outputFile.js';
import { oneLine } from './cliIo.js';
import { describeError, runCli } from './runCli.js';

/**
 * The share of V8's old-generation limit that, still in use right after a full garbage
 * collection (or within HEAP_MARGIN_BYTES of the limit, for small heaps), ends the run
 * with a clear message instead of V8's fatal out-of-memory crash (a native stack trace,
 * and no cleanup).
 */
const HEAP_FULL = 0.9;

/**
 * At least this much room is kept: a chunk of input (1 MiB of lines, some 20 000 commands)
 * can grow the heap by several MB before the guard runs again.
 */
const HEAP_MARGIN_BYTES = 24 * 2 ** 20;

/** V8's young generation on 64-bit, counted in `heap_size_limit` but not in --max-old-space-size. */
const YOUNG_GENERATION_BYTES = 48 * 2 ** 20;

/** Ends the process now: removes unfinished output files, prints one line, exits with `code`. */
function die(message: string, code: number): never {
  abortAllOutputs();
  process.stderr.write(`lmm: ${oneLine(message)}\n`);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // The unfinished outputs' temporary files are removed; a file already at an output's name stays as it was.
    const what = describeAborted(abortAllOutputs());
    process.stderr.write(`lmm: interrupted (${signal})${what === '' ? '' : `; ${what}`}\n`);
    process.exit(128 + osConstants.signals[signal]);
  });
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A closed pipe (`lmm … | head`) is not a failure.
  if (e.code === 'EPIPE') process.exit(0);
  die(`cannot write to standard output: ${e.code ?? e.message}`, 1);
});

// Anything thrown outside the command's promise (an event handler, a timer) is still one line.
process.on('uncaughtException', (e) => die(`unexpected error: ${describeError(e)}`, 1));
process.on('unhandledRejection', (e) => die(`unexpected error: ${describeError(e)}`, 1));

// Memory guard: after every full garbage collection, if live data still fills the heap
// nearly to V8's limit, stop with a message (V8 itself would soon abort with a native
// stack trace, leaving temporary files behind). Checked between chunks of input, as
// reading is asynchronous.
const heapGuard = new PerformanceObserver((list) => {
  if (!list.getEntries().some((e) => (e as unknown as { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR)) return;
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  // heap_size_limit counts V8's young generation too (3 × 16 MiB semi-spaces on 64-bit);
  // what fills up is the old generation, limited to the rest.
  const oldLimit = Math.max(limit - YOUNG_GENERATION_BYTES, limit / 2);
  if (used > oldLimit - Math.max((1 - HEAP_FULL) * oldLimit, HEAP_MARGIN_BYTES)) {
    const mb = (n: number) => Math.round(n / 2 ** 20);
    die(
      `out of memory: ${mb(used)} MB still in use of a ${mb(oldLimit)} MB heap (lmm holds the live heap, e.g. every allocated id of a trace); ` +
        `raise the limit with NODE_OPTIONS=--max-old-space-size=${2 * mb(oldLimit)}`,
      1,
    );
  }
});
heapGuard.observe({ entryTypes: ['gc'] });

// The command itself, on this process's streams; runCli maps its errors to one line and a
// status (anything it throws itself reaches the unhandledRejection handler above).
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  heapGuard.disconnect();
  process.exitCode = code;
});
