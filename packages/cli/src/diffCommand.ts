import { compareLogs, compareRuns, describeChange, ReplayLog, type RunComparison } from '@lmm/replay';
import { parseCommandLine } from './commandSpec.js';
import { DIFF_SPEC } from './diffSpec.js';
import { commandAt, isSeekable, openLog, runPeakOf, type OpenedLog } from './logAt.js';
import { atOption, type At } from './atOption.js';
import { userPath } from './paths.js';
import { fileProgress } from './progress.js';
import { UsageError } from './usageError.js';
import { printNote, printWarning, type CliIo } from './cliIo.js';

async function load(io: CliIo, file: string, strict: boolean): Promise<ReplayLog> {
  const { bar, onProgress } = fileProgress(`lmm diff: reading ${file}`);
  try {
    // One seek per log: two checkpoints are enough (the fold from the nearer one is done once).
    return await ReplayLog.load(userPath(file), { displayName: file, strict, onProgress, onWarning: (e) => printWarning(io, e.message), maxCheckpoints: 2 });
  } finally {
    bar.done();
  }
}

/**
 * `lmm diff A B [--at AT] [--json]` (SPEC §5): where two runs' fact logs first part, and the
 * differences between their states at AT (a number, or `peak-live` / `peak-heap` of run A;
 * default: that command, or the end when they do not part). JSON: `{"firstDivergence": null | {"cmd","a","b"}, "changes": […]}`.
 * Two logs that are files are read through their indexes (`seekingDiff`); otherwise both are
 * read whole, as a log from a pipe must be.
 */
export async function diffCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: [fileA, fileB] } = parseCommandLine(DIFF_SPEC, args);
  const atArg = atOption(values.at);
  const print = (a: LogLength, b: LogLength, cmp: RunComparison) =>
    io.stdout.write(values.json ? `${JSON.stringify({ firstDivergence: cmp.firstDivergence, changes: cmp.changes })}\n` : `${diffText(fileA!, fileB!, a, b, cmp)}\n`);
  if (isSeekable(fileA!) && isSeekable(fileB!)) {
    const a = await openLog(io, 'diff', fileA!, values.strict === true);
    const b = a === undefined ? undefined : await openLog(io, 'diff', fileB!, values.strict === true);
    if (a !== undefined && b !== undefined) {
      await seekingDiff(io, fileA!, a, fileB!, b, atArg, print);
      return 0;
    }
    await a?.log.close();
  }
  const a = await load(io, fileA!, values.strict === true);
  const b = await load(io, fileB!, values.strict === true);
  // A peak is run A's: the first command after which A reached it.
  const peakA = typeof atArg === 'string' ? runPeakOf(a, a.commands) : undefined;
  const at = atArg === 'peak-live' ? peakA!.liveCmd : atArg === 'peak-heap' ? peakA!.heapCmd : atArg;
  for (const [file, log] of [[fileA!, a], [fileB!, b]] as const) {
    if (at !== undefined && at > log.commands) throw new UsageError(`diff: --at ${at} is past the end of ${file} (${log.commands} commands)`);
  }
  print(a, b, compareRuns(a, b, at === undefined ? {} : { at }));
  return 0;
}

/**
 * `diff` of two logs that are files, through their indexes: their bytes are compared up to
 * where they part, the facts parsed from there, and each state read from a checkpoint
 * (`compareLogs`): memory holds a chunk of each log and two states.
 */
async function seekingDiff(io: CliIo, fileA: string, a: OpenedLog, fileB: string, b: OpenedLog, atArg: At | undefined, print: (a: LogLength, b: LogLength, cmp: RunComparison) => void): Promise<void> {
  try {
    // A peak is run A's: the first command after which A reached it.
    const at = atArg === undefined ? undefined : commandAt('diff', fileA, atArg, a.log.commands, a.log.peak);
    if (at !== undefined) commandAt('diff', fileB, at, b.log.commands, b.log.peak);
    print(a.log, b.log, await compareLogs(a.log, b.log, at === undefined ? {} : { at }));
  } finally {
    await a.log.close();
    await b.log.close();
  }
  for (const n of [...a.notes, ...b.notes]) printNote(io, n);
}

/** What `diffText` says about each log: its length. */
interface LogLength {
  readonly commands: number;
  readonly facts: number;
}

/** The comparison as text for people: where the logs part (with both facts), then one line per state difference. */
export function diffText(fileA: string, fileB: string, a: LogLength, b: LogLength, cmp: RunComparison): string {
  const lines = [`a: ${fileA} (${a.commands} commands, ${a.facts} facts)`, `b: ${fileB} (${b.commands} commands, ${b.facts} facts)`];
  const d = cmp.firstDivergence;
  if (d === null) lines.push('the fact logs agree: same facts, in the same order');
  else {
    lines.push(`the fact logs part at command ${d.cmd}:`);
    lines.push(`  a: ${d.a === null ? '(log ended)' : JSON.stringify(d.a)}`);
    lines.push(`  b: ${d.b === null ? '(log ended)' : JSON.stringify(d.b)}`);
  }
  const atA = Math.min(cmp.at, a.commands);
  const atB = Math.min(cmp.at, b.commands);
  const where = atA === atB ? `after command ${atA}` : `after command ${atA} of a and ${atB} of b`;
  if (cmp.changes.length === 0) lines.push(`the states ${where} are the same`);
  else {
    lines.push(`the states ${where} differ in ${cmp.changes.length} ${cmp.changes.length === 1 ? 'way' : 'ways'} (a → b):`);
    for (const c of cmp.changes) lines.push(`  ${describeChange(c)}`);
  }
  return lines.join('\n');
}
