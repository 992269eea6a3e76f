import { Engine, initialState, statsOf, writeDump, type RejectionCode } from '@lmm/core';
import { factLine, headerLine, makeHeader, readTrace, type InputError } from '@lmm/replay';
import { parseCommandLine } from './commandSpec.js';
import { printWarning } from './logOptions.js';
import { withOptionLine } from './optionLine.js';
import { familiesOption, formatOption, intOption, layoutOption, policyOption } from './options.js';
import { OutputFile } from './outputFile.js';
import { PeakWatch } from './peakWatch.js';
import { fileProgress } from './progress.js';
import { userPath } from './paths.js';
import { runSummaryText, statsJson, type RunSummary } from './report.js';
import { RUN_SPEC } from './runSpec.js';

/** `lmm run TRACE …` (SPEC §5): runs a trace, writes the fact log and state dump when asked, prints a summary. */
export async function runCommand(args: string[]): Promise<number> {
  const { values: given, positionals: [trace] } = parseCommandLine(RUN_SPEC, args);
  const values = await withOptionLine(trace!, given);
  const layout = layoutOption(values.layout);
  const policy = policyOption(values.policy);
  const maxPages = intOption('max-pages', values['max-pages']) ?? null;
  const format = formatOption(values.format);
  const families = familiesOption(values.families);

  const engine = new Engine(initialState({ layout, policy, maxPages }));
  // Both outputs are opened before the run, so a bad output path fails at once, not after it.
  const log = values.facts === undefined ? undefined : await OutputFile.open(values.facts, { inputs: [trace!] });
  const stateOut = values.state === undefined ? undefined : await OutputFile.open(values.state, { inputs: [trace!] });
  log?.line(headerLine(makeHeader(layout, policy, maxPages)));
  let cmd = 0;
  let seq = 0;
  const peaks = new PeakWatch();
  const rejected: Partial<Record<RejectionCode, number>> = {};
  const progress = fileProgress(`lmm run: reading ${trace!}`);
  // A warning is a line of its own: the bar is erased first (it comes back at its next redraw).
  const onWarning = (w: InputError) => {
    progress.bar.done();
    printWarning(w);
  };
  try {
    for await (const batch of readTrace(userPath(trace!), { layout, format, families, displayName: trace!, onProgress: progress.onProgress, onWarning })) {
      for (const { command } of batch) {
        cmd++;
        const facts = engine.execute(command);
        for (const fact of facts) {
          seq++;
          if (log) log.line(factLine(seq, cmd, fact));
          if (fact.type === 'Rejected') rejected[fact.code] = (rejected[fact.code] ?? 0) + 1;
        }
        peaks.observe(cmd, engine.peek());
      }
    }
  } finally {
    progress.bar.done();
  }
  const state = engine.snapshot();
  const stats = statsOf(state);
  if (stateOut) {
    // Streamed: the dump of millions of blocks never exists as one string.
    writeDump(state, (text) => stateOut.write(text));
    stateOut.line('');
    stateOut.commit();
  }
  log?.commit();
  const peak = peaks.peak;
  const summary: RunSummary = { trace: trace!, commands: cmd, facts: seq, layout, policy, maxPages, stats, peak, rejected };
  // With an output on standard output, the summary goes to stderr: `lmm run T --facts - | …` carries only the log.
  const report = log?.takesStdout || stateOut?.takesStdout ? process.stderr : process.stdout;
  report.write(values.json ? `${JSON.stringify({ ...statsJson(stats, peak), commands: cmd, facts: seq, rejected })}\n` : `${runSummaryText(summary)}\n`);
  return 0;
}
