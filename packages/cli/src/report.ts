import { layoutName, type HeapStats, type Layout, type Peak, type Policy, type PolicySwitch, type RejectionCode, type Stats } from '@lmm/core';
import type { RunPeak } from '@lmm/events';

/** What a run did, for its closing summary. */
export interface RunSummary {
  /** The trace as the user named it. */
  readonly trace: string;
  readonly commands: number;
  readonly facts: number;
  readonly layout: Layout;
  readonly policy: Policy;
  readonly maxPages: number | null;
  /** The run's policy switch (`--switch`), if any. */
  readonly change?: PolicySwitch | undefined;
  readonly stats: HeapStats;
  readonly peak: RunPeak;
  readonly rejected: Readonly<Partial<Record<RejectionCode, number>>>;
}

/** One line saying what the table's abbreviations mean. */
export const STATS_LEGEND =
  'TBC/FBC/OBC total/free/occupied blocks; AppMemUsage live bytes + a meta block each; hardIF/softIF hard/soft internal fragmentation bytes; extFrag 1 − largest free/free bytes; util live/heap bytes; pageReqs page requests so far; avoidable those made while the family’s free bytes would have held the block';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const COLUMNS: readonly [string, (s: Stats) => string][] = [
  ['pages', (s) => String(s.pages)],
  ['TBC', (s) => String(s.tbc)],
  ['FBC', (s) => String(s.fbc)],
  ['OBC', (s) => String(s.obc)],
  ['AppMemUsage', (s) => String(s.appMemUsage)],
  ['live', (s) => String(s.liveBytes)],
  ['free', (s) => String(s.freeBytes)],
  ['hardIF', (s) => String(s.hardFragBytes)],
  ['softIF', (s) => String(s.softFragBytes)],
  ['largestFree', (s) => String(s.largestFree)],
  ['extFrag', (s) => pct(s.externalFrag)],
  ['util', (s) => pct(s.utilization)],
  ['pageReqs', (s) => String(s.pageRequests)],
  ['avoidable', (s) => String(s.avoidableGrowth)],
];

/** The statistics as a text table: one row per family and a total, in the spirit of the C reference's printout. */
export function statsTable(stats: HeapStats, pageSize: number): string {
  const rows: string[][] = [['family', 'size', ...COLUMNS.map(([h]) => h)]];
  for (const f of stats.families) rows.push([f.name, String(f.size), ...COLUMNS.map(([, g]) => g(f))]);
  rows.push(['total', '', ...COLUMNS.map(([, g]) => g(stats.total))]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  const t = stats.total;
  lines.push(`# of VM pages in use: ${t.pages} (${t.pages * pageSize} bytes)`);
  lines.push(`Total memory being used by the memory manager: ${t.heapBytes} bytes`);
  lines.push(STATS_LEGEND);
  return lines.join('\n');
}

/** The peak in one line: live and heap bytes, each with the command it was first reached after, and the utilization there. */
export function peakLine(p: RunPeak): string {
  if (p.heapBytes === 0) return 'peak: the heap never held a page';
  return `peak: ${p.liveBytes} live bytes (after command ${p.liveCmd}) in ${p.heapBytes} heap bytes, ${p.pages} ${p.pages === 1 ? 'page' : 'pages'} (after command ${p.heapCmd}); peak utilization ${pct(p.utilization)}`;
}

/**
 * The closing summary of `lmm run` as text: what ran, the peak first (the final state of a
 * whole trace is often empty), then the final state's table with its legend, then the
 * rejected commands by code.
 */
export function runSummaryText(s: RunSummary): string {
  const limit = s.maxPages === null ? '' : `, at most ${s.maxPages} ${s.maxPages === 1 ? 'page' : 'pages'}`;
  const policy = s.change === undefined ? s.policy : `${s.policy}, ${s.change.policy} after command ${s.change.cmd}`;
  const lines = [`lmm run ${s.trace}: ${s.commands} commands, ${s.facts} facts (layout ${layoutName(s.layout)}, ${policy}${limit})`, peakLine(s.peak)];
  const t = s.stats.total;
  lines.push(`page requests: ${t.pageRequests}, of which avoidable growth: ${t.avoidableGrowth} (requested while the family's free bytes would have held the block)`);
  lines.push(`final state, after command ${s.commands}:`, statsTable(s.stats, s.layout.pageSize));
  const rejected = Object.entries(s.rejected);
  lines.push(rejected.length === 0 ? 'rejected: none' : `rejected: ${rejected.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  return lines.join('\n');
}

/** The statistics object printed by `--json` (SPEC §5): total, families, peak. */
export function statsJson(stats: HeapStats, peak: Peak): object {
  return { total: stats.total, families: stats.families, peak: { liveBytes: peak.liveBytes, heapBytes: peak.heapBytes, utilization: peak.utilization } };
}
