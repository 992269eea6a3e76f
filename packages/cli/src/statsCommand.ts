import { initialState, NO_PEAK, statsOf, type Peak, type Stats } from '@lmm/core';
import { PeakTap } from '@lmm/events';
import { parseCommandLine } from './commandSpec.js';
import { commandAt, foldLogAt, isSeekable, loadAtPeak, openLog, stateAt } from './logAt.js';
import { intOption } from './options.js';
import { atOption, type At } from './atOption.js';
import { statsJson, statsTable } from './report.js';
import { RunningTotals } from './runningTotals.js';
import { STATS_SPEC } from './statsSpec.js';
import { UsageError } from './usageError.js';
import type { CliIo, TextOut } from './cliIo.js';

/** A column of `stats --csv` after `cmd`: its name, its value from the totals and the peak, and whether it is a ratio (written with 6 decimals). */
type CsvColumn = readonly [name: string, value: (s: Stats, peak: Peak) => number, ratio?: true];

/** A column that is one of the total statistics. */
const total = (name: keyof Stats, ratio?: true): CsvColumn => (ratio ? [name, (s) => s[name], ratio] : [name, (s) => s[name]]);

/**
 * The columns of `lmm stats --csv` after `cmd`, in order: the total statistics after it
 * (SPEC §3), the peaks over commands 1…cmd, and the page requests and avoidable growth up to it.
 */
const COLUMNS: readonly CsvColumn[] = [
  total('pages'),
  total('heapBytes'),
  total('tbc'),
  total('fbc'),
  total('obc'),
  total('liveBytes'),
  total('appMemUsage'),
  total('freeBytes'),
  total('hardFragBytes'),
  total('softFragBytes'),
  total('largestFree'),
  total('externalFrag', true),
  total('utilization', true),
  ['peakLiveBytes', (_, p) => p.liveBytes],
  ['peakHeapBytes', (_, p) => p.heapBytes],
  ['peakUtilization', (_, p) => p.utilization, true],
  total('pageRequests'),
  total('avoidableGrowth'),
];

/** The header row of `lmm stats --csv`, as names: `cmd`, then each column's. */
export const CSV_COLUMNS: readonly string[] = ['cmd', ...COLUMNS.map(([name]) => name)];

/** One CSV row: the totals after command `cmd` and the peak up to it. Ratios with 6 decimals. */
export function csvRow(cmd: number, s: Stats, peak: Peak): string {
  let row = String(cmd);
  for (const [, value, ratio] of COLUMNS) {
    const x = value(s, peak);
    row += `,${ratio ? Math.round(x * 1e6) / 1e6 : x}`;
  }
  return row;
}

/**
 * `lmm stats LOG [--at AT] [--json] [--csv [--every N]]` (SPEC §5): the statistics after
 * command AT (a number, `peak-live` or `peak-heap`; default: the end) with the peak over
 * commands 1…AT, as a table or JSON; or,
 * with `--csv`, a header row and one row of totals every N commands (default 1): commands
 * 0, N, 2N, … and always the last one, written as they come. A log that is a file is read
 * through its index (one checkpoint and the commands after it; for `--csv`, the index tells
 * where AT is before the rows are folded); one read from a pipe is folded as it comes.
 */
export async function statsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: [log] } = parseCommandLine(STATS_SPEC, args);
  const at = atOption(values.at);
  const every = intOption('every', values.every, 1);
  if (every !== undefined && !values.csv) throw new UsageError('stats: --every goes with --csv');
  if (values.csv && values.json) throw new UsageError('stats: --csv and --json are two different outputs; choose one');
  if (values.csv) {
    await csv(io, log!, at, every ?? 1, values.strict === true);
    return 0;
  }
  const folded = await stateAt(io, 'stats', log!, at, values.strict === true);
  const stats = statsOf(folded.state);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(statsJson(stats, folded.peak))}\n`);
    return 0;
  }
  const { pageSize } = folded.header.layout;
  const p = folded.peak;
  io.stdout.write(
    `${log}: after command ${folded.commands}${at === undefined ? ' (the end)' : typeof at === 'string' ? ` (${at})` : ''}\n${statsTable(stats, pageSize)}\n` +
      `peak over commands 1…${folded.commands}: ${p.liveBytes} live bytes in ${p.heapBytes} heap bytes (peak utilization ${(p.utilization * 100).toFixed(1)}%)\n`,
  );
  return 0;
}

/** Rows written to standard output at a time. */
const ROWS_PER_WRITE = 4096;

/** Writes CSV lines to standard output a few thousand at a time: memory stays bounded whatever the log's length. */
class RowWriter {
  private rows: string[] = [];
  constructor(private readonly stdout: TextOut) {}
  push(row: string): void {
    this.rows.push(row);
    if (this.rows.length >= ROWS_PER_WRITE) this.flush();
  }
  flush(): void {
    if (this.rows.length === 0) return;
    this.stdout.write(`${this.rows.join('\n')}\n`);
    this.rows = [];
  }
}

/**
 * `stats --csv`: the rows of commands 0, N, 2N, … and the last one, up to `at` or the end. A
 * log that is a file is opened through its index first, which says where a peak is and how
 * long the log is (a usage error, before any row, for an AT past its end), then folded once
 * with its rows streamed; a log read from a pipe is streamed as it comes, but for a peak,
 * known only at its end; a log the index cannot be built for is read as before, whole,
 * which refuses it with the message every reader gives.
 */
async function csv(io: CliIo, file: string, at: At | undefined, n: number, strict: boolean): Promise<void> {
  const { stdout } = io;
  let to = at;
  if (isSeekable(file)) {
    const opened = await openLog(io, 'stats', file, strict);
    if (opened === undefined) {
      const rows = typeof at === 'string' ? await csvRowsToPeak(io, file, at, n, strict) : await csvRows(io, file, at, n, strict);
      stdout.write(`${rows.join('\n')}\n`);
      return;
    }
    try {
      to = commandAt('stats', file, at, opened.log.commands, opened.log.peak);
    } finally {
      await opened.log.close();
    }
  } else if (typeof at === 'string') {
    stdout.write(`${(await csvRowsToPeak(io, file, at, n, strict)).join('\n')}\n`);
    return;
  }
  const out = new RowWriter(stdout);
  await csvRows(io, file, to as number | undefined, n, strict, out);
  out.flush();
}

/** The CSV lines (header first) of commands 0, N, 2N, … and the last one, up to `at` or the end: one fold, cut every N commands; given `out`, each row goes there as it is made (and none is returned). */
async function csvRows(io: CliIo, file: string, at: number | undefined, n: number, strict: boolean, out?: RowWriter): Promise<string[]> {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  const put = (row: string) => (out === undefined ? rows.push(row) : out.push(row));
  let peak: PeakTap | undefined;
  // A row costs the families the batch before it changed, not every family (RunningTotals).
  let totals: RunningTotals | undefined;
  const folded = await foldLogAt(io, 'stats', file, at, {
    strict,
    cutEvery: [n],
    onBatch: (b) => {
      if (peak === undefined) {
        const { layout, policy, maxPages } = b.view;
        put(rows.pop()!);
        put(csvRow(0, statsOf(initialState({ layout, policy, maxPages })).total, NO_PEAK));
      }
      peak ??= new PeakTap(b.view.layout.pageSize);
      totals ??= new RunningTotals(b.view.layout);
      peak.next(b);
      totals.update(b.facts, b.view);
      const cmd = b.first + b.count - 1;
      if (cmd % n === 0) put(csvRow(cmd, totals.stats, peak.peak));
    },
  });
  if (peak === undefined) {
    put(rows.pop()!);
    put(csvRow(0, statsOf(initialState(folded.header)).total, NO_PEAK));
  }
  if (folded.commands % n !== 0) put(csvRow(folded.commands, statsOf(folded.state).total, folded.peak));
  return out === undefined ? rows : [];
}

/** The same lines up to a peak: the log is read once for replay (the peak is known only at its end), then visited up to the peak. */
async function csvRowsToPeak(io: CliIo, file: string, at: 'peak-live' | 'peak-heap', n: number, strict: boolean): Promise<string[]> {
  const { log, cmd } = await loadAtPeak(io, 'stats', file, at, strict);
  const rows: string[] = [CSV_COLUMNS.join(','), csvRow(0, statsOf(log.seek(0)).total, NO_PEAK)];
  let live = 0;
  let pages = 0;
  const { pageSize } = log.header.layout;
  for (let c = 1; c <= cmd; c++) {
    live = Math.max(live, log.liveBytesAt(c));
    pages = Math.max(pages, log.pagesAt(c));
    if (c % n !== 0 && c !== cmd) continue;
    const heap = pages * pageSize;
    rows.push(csvRow(c, statsOf(log.seek(c)).total, { liveBytes: live, heapBytes: heap, utilization: heap === 0 ? 0 : live / heap }));
  }
  return rows;
}
