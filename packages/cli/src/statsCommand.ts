import { initialState, NO_PEAK, statsOf, type Peak, type Stats } from '@lmm/core';
import { PeakTap } from '@lmm/events';
import { parseCommandLine } from './commandSpec.js';
import { foldLogAt, loadAtPeak } from './logAt.js';
import { intOption } from './options.js';
import { atOption } from './atOption.js';
import { statsJson, statsTable } from './report.js';
import { RunningTotals } from './runningTotals.js';
import { STATS_SPEC } from './statsSpec.js';
import { UsageError } from './usageError.js';

/**
 * The columns of `lmm stats --csv`: the command, the total statistics after it (SPEC §3), the
 * peaks over commands 1…cmd, and the page requests and avoidable growth up to it.
 */
export const CSV_COLUMNS = [
  'cmd',
  'pages',
  'heapBytes',
  'tbc',
  'fbc',
  'obc',
  'liveBytes',
  'appMemUsage',
  'freeBytes',
  'hardFragBytes',
  'softFragBytes',
  'largestFree',
  'externalFrag',
  'utilization',
  'peakLiveBytes',
  'peakHeapBytes',
  'peakUtilization',
  'pageRequests',
  'avoidableGrowth',
] as const;

/** One CSV row: the totals after command `cmd` and the peak up to it. Ratios with 6 decimals. */
export function csvRow(cmd: number, s: Stats, peak: Peak): string {
  const r = (x: number) => String(Math.round(x * 1e6) / 1e6);
  return [cmd, s.pages, s.heapBytes, s.tbc, s.fbc, s.obc, s.liveBytes, s.appMemUsage, s.freeBytes, s.hardFragBytes, s.softFragBytes, s.largestFree, r(s.externalFrag), r(s.utilization), peak.liveBytes, peak.heapBytes, r(peak.utilization), s.pageRequests, s.avoidableGrowth].join(',');
}

/**
 * `lmm stats LOG [--at AT] [--json] [--csv [--every N]]` (SPEC §5): the statistics after
 * command AT (a number, `peak-live` or `peak-heap`; default: the end) with the peak over
 * commands 1…AT, as a table or JSON; or,
 * with `--csv`, a header row and one row of totals every N commands (default 1): commands
 * 0, N, 2N, … and always the last one.
 */
export async function statsCommand(args: string[]): Promise<number> {
  const { values, positionals: [log] } = parseCommandLine(STATS_SPEC, args);
  const at = atOption(values.at);
  const every = intOption('every', values.every, 1);
  if (every !== undefined && !values.csv) throw new UsageError('stats: --every goes with --csv');
  if (values.csv && values.json) throw new UsageError('stats: --csv and --json are two different outputs; choose one');
  if (values.csv) {
    const n = every ?? 1;
    const strict = values.strict === true;
    const rows = typeof at === 'string' ? await csvRowsToPeak(log!, at, n, strict) : await csvRows(log!, at, n, strict);
    process.stdout.write(`${rows.join('\n')}\n`);
    return 0;
  }
  const folded = await foldLogAt('stats', log!, at, { strict: values.strict === true });
  const stats = statsOf(folded.state);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(statsJson(stats, folded.peak))}\n`);
    return 0;
  }
  const { pageSize } = folded.header.layout;
  const p = folded.peak;
  process.stdout.write(
    `${log}: after command ${folded.commands}${at === undefined ? ' (the end)' : typeof at === 'string' ? ` (${at})` : ''}\n${statsTable(stats, pageSize)}\n` +
      `peak over commands 1…${folded.commands}: ${p.liveBytes} live bytes in ${p.heapBytes} heap bytes (peak utilization ${(p.utilization * 100).toFixed(1)}%)\n`,
  );
  return 0;
}

/** The CSV lines (header first) of commands 0, N, 2N, … and the last one, up to `at` or the end: one fold, cut every N commands. */
async function csvRows(file: string, at: number | undefined, n: number, strict: boolean): Promise<string[]> {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  let peak: PeakTap | undefined;
  // A row costs the families the batch before it changed, not every family (RunningTotals).
  let totals: RunningTotals | undefined;
  const folded = await foldLogAt('stats', file, at, {
    strict,
    cutEvery: [n],
    onBatch: (b) => {
      peak ??= new PeakTap(b.view.layout.pageSize);
      totals ??= new RunningTotals(b.view.layout);
      peak.next(b);
      totals.update(b.facts, b.view);
      const cmd = b.first + b.count - 1;
      if (cmd % n === 0) rows.push(csvRow(cmd, totals.stats, peak.peak));
    },
  });
  rows.splice(1, 0, csvRow(0, statsOf(initialState(folded.header)).total, NO_PEAK));
  if (folded.commands % n !== 0) rows.push(csvRow(folded.commands, statsOf(folded.state).total, folded.peak));
  return rows;
}

/** The same lines up to a peak: the log is read once for replay (the peak is known only at its end), then visited up to the peak. */
async function csvRowsToPeak(file: string, at: 'peak-live' | 'peak-heap', n: number, strict: boolean): Promise<string[]> {
  const { log, cmd } = await loadAtPeak('stats', file, at, strict);
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
