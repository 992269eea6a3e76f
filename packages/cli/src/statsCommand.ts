import { initialState, NO_PEAK, statsOf, type Peak, type Stats } from '@lmm/core';
import { PeakTap } from '@lmm/events';
import { parseCommandLine } from './commandSpec.js';
import { foldLogAt } from './logAt.js';
import { intOption } from './options.js';
import { statsJson, statsTable } from './report.js';
import { RunningTotals } from './runningTotals.js';
import { STATS_SPEC } from './statsSpec.js';
import { UsageError } from './usageError.js';

/** The columns of `lmm stats --csv`: the command, the total statistics after it (SPEC §3), and the peaks over commands 1…cmd. */
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
] as const;

/** One CSV row: the totals after command `cmd` and the peak up to it. Ratios with 6 decimals. */
export function csvRow(cmd: number, s: Stats, peak: Peak): string {
  const r = (x: number) => String(Math.round(x * 1e6) / 1e6);
  return [cmd, s.pages, s.heapBytes, s.tbc, s.fbc, s.obc, s.liveBytes, s.appMemUsage, s.freeBytes, s.hardFragBytes, s.softFragBytes, s.largestFree, r(s.externalFrag), r(s.utilization), peak.liveBytes, peak.heapBytes, r(peak.utilization)].join(',');
}

/**
 * `lmm stats LOG [--at CMD] [--json] [--csv [--every N]]` (SPEC §5): the statistics after
 * command CMD (default: the end) with the peak over commands 1…CMD, as a table or JSON; or,
 * with `--csv`, a header row and one row of totals every N commands (default 1): commands
 * 0, N, 2N, … and always the last one.
 */
export async function statsCommand(args: string[]): Promise<number> {
  const { values, positionals: [log] } = parseCommandLine(STATS_SPEC, args);
  const at = intOption('at', values.at);
  const every = intOption('every', values.every, 1);
  if (every !== undefined && !values.csv) throw new UsageError('stats: --every goes with --csv');
  if (values.csv && values.json) throw new UsageError('stats: --csv and --json are two different outputs; choose one');
  if (values.csv) {
    const n = every ?? 1;
    const rows: string[] = [CSV_COLUMNS.join(',')];
    let peak: PeakTap | undefined;
    // A row costs the families the batch before it changed, not every family (RunningTotals).
    let totals: RunningTotals | undefined;
    const folded = await foldLogAt('stats', log!, at, {
      strict: values.strict === true,
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
    `${log}: after command ${folded.commands}${at === undefined ? ' (the end)' : ''}\n${statsTable(stats, pageSize)}\n` +
      `peak over commands 1…${folded.commands}: ${p.liveBytes} live bytes in ${p.heapBytes} heap bytes (peak utilization ${(p.utilization * 100).toFixed(1)}%)\n`,
  );
  return 0;
}
