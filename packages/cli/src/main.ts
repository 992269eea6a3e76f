#!/usr/bin/env node
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { abortAllOutputs, describeAborted } from './outputFile.js';
import { oneLine } from './cliIo.js';
import { heapOverflow, majorGcIn } from './heapGuard.js';
import { interruption } from './interruption.js';
import { describeError, runCli } from './runCli.js';

/** Ends the process now: removes unfinished output files, prints one line, exits with `code`. */
function die(message: string, code: number): never {
  abortAllOutputs();
  process.stderr.write(`lmm: ${oneLine(message)}\n`);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // The unfinished outputs' temporary files are removed; a file already at an output's name stays as it was.
    const { line, status } = interruption(signal, describeAborted(abortAllOutputs()));
    process.stderr.write(line);
    process.exit(status);
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
  if (!majorGcIn(list.getEntries())) return;
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  const overflow = heapOverflow(used, limit);
  if (overflow !== undefined) die(overflow, 1);
});
heapGuard.observe({ entryTypes: ['gc'] });

// The command itself, on this process's streams; runCli maps its errors to one line and a
// status (anything it throws itself reaches the unhandledRejection handler above).
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  heapGuard.disconnect();
  process.exitCode = code;
});
