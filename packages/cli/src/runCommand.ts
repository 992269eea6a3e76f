import { lastValueFrom, tap } from 'rxjs';
import { initialState, policyAfter, statsOf, writeDump } from '@lmm/core';
import { PeakTap, RejectionTap, runCommands, type RunBatch } from '@lmm/events';
import { checkpointPlaces, FactLogWriter, indexPathOf, IndexWriteError, LogIndexWriter, makeHeader, traceBatches, type InputError } from '@lmm/replay';
import { parseCommandLine } from './commandSpec.js';
import { withOptionLine } from './optionLine.js';
import { familiesOption, formatOption, intOption, layoutOption, policyOption } from './options.js';
import { OutputFile } from './outputFile.js';
import { outputTarget } from './outputTarget.js';
import { fileProgress } from './progress.js';
import { switchOption } from './switchOption.js';
import { userPath } from './paths.js';
import { runSummaryText, statsJson, type RunSummary } from './report.js';
import { RUN_SPEC } from './runSpec.js';
import { printWarning, type CliIo } from './cliIo.js';

/** The index writer for the fact log the user named `file`, when that is a regular file; undefined (with a warning when it cannot be written) otherwise. */
function openIndexWriter(io: CliIo, file: string): LogIndexWriter | undefined {
  const target = outputTarget(file);
  if (target.kind !== 'regular') return undefined;
  try {
    return new LogIndexWriter(userPath(file));
  } catch (e) {
    if (!(e instanceof IndexWriteError)) throw e;
    printWarning(io, `${indexPathOf(file)}: cannot write (${e.message}); the log's index will be built when it is first read`);
    return undefined;
  }
}

/**
 * `lmm run TRACE …` (SPEC §5): runs a trace through the pipeline (its batches → the engine →
 * the fact-log writer, peaks and rejection counts), writes the fact log and state dump when
 * asked — the log, when it is a regular file, with its index `LOG.idx` beside it — prints a
 * summary. With `--switch CMD:POLICY` the engine switches its policy in place
 * after command CMD (a what-if branch), and the log's header says so.
 */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values: given, positionals: [trace] } = parseCommandLine(RUN_SPEC, args);
  const values = await withOptionLine(io, trace!, given);
  const layout = layoutOption(values.layout);
  const policy = policyOption(values.policy);
  const change = switchOption(values.switch);
  const maxPages = intOption('max-pages', values['max-pages']) ?? null;
  const format = formatOption(values.format);
  const families = familiesOption(values.families);

  const header = makeHeader(layout, policy, maxPages, change);
  // Both outputs are opened before the run, so a bad output path fails at once, not after it.
  const log = values.facts === undefined ? undefined : await OutputFile.open(values.facts, { inputs: [trace!] });
  const stateOut = values.state === undefined ? undefined : await OutputFile.open(values.state, { inputs: [trace!] });
  // A log that is a regular file gets its index (LOG.idx) beside it, written as the run goes.
  let index = log === undefined ? undefined : openIndexWriter(io, values.facts!);
  const writer = log === undefined ? undefined : new FactLogWriter(index === undefined ? log : index.lines(log), header);
  const dropIndex = (e: unknown, when: string) => {
    if (!(e instanceof IndexWriteError)) throw e;
    index?.abort();
    index = undefined;
    printWarning(io, `${indexPathOf(values.facts!)}: cannot write (${e.message})${when}`);
  };
  const peaks = new PeakTap(layout.pageSize);
  const counts = new RejectionTap();
  const progress = fileProgress(`lmm run: reading ${trace!}`);
  // A warning is a line of its own: the bar is erased first (it comes back at its next redraw).
  const onWarning = (w: InputError) => {
    progress.bar.done();
    printWarning(io, w.message);
  };
  let state = initialState({ layout, policy: policyAfter(policy, change, 0), maxPages });
  let last: RunBatch | undefined;
  try {
    await lastValueFrom(
      traceBatches(userPath(trace!), { layout, format, families, displayName: trace!, onProgress: progress.onProgress, onWarning }).pipe(
        runCommands(state, { ...(change === undefined ? {} : { switchAt: change }), ...(index === undefined ? {} : { cutEvery: [checkpointPlaces({})] }) }),
        tap(peaks),
        tap(counts),
        tap((b) => {
          writer?.next(b);
          try {
            index?.next(b);
          } catch (e) {
            dropIndex(e, "; the log's index will be built when it is first read");
          }
          last = b;
        }),
      ),
      { defaultValue: undefined },
    );
  } catch (e) {
    index?.abort();
    throw e;
  } finally {
    progress.bar.done();
  }
  if (last !== undefined) state = last.snapshot();
  const stats = statsOf(state);
  if (stateOut) {
    // Streamed: the dump of millions of blocks never exists as one string.
    writeDump(state, (text) => stateOut.write(text));
    stateOut.line('');
    stateOut.commit();
  }
  log?.commit();
  if (index !== undefined) {
    try {
      await index.finish(state);
    } catch (e) {
      dropIndex(e, "; the log is written, and its index will be built when it is first read");
    }
  }
  const peak = peaks.peak;
  const { commands, facts, rejected } = counts;
  const summary: RunSummary = { trace: trace!, commands, facts, layout, policy, change, maxPages, stats, peak, rejected };
  // With an output on standard output, the summary goes to stderr: `lmm run T --facts - | …` carries only the log.
  const report = log?.takesStdout || stateOut?.takesStdout ? io.stderr : io.stdout;
  report.write(values.json ? `${JSON.stringify({ ...statsJson(stats, peak), commands, facts, rejected })}\n` : `${runSummaryText(summary)}\n`);
  return 0;
}
