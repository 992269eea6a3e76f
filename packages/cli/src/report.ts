import { layoutName, type HeapStats, type Layout, type Peak, type Policy, type RejectionCode, type Stats } from '@lmm/core';

/** What a run did, for its closing summary. */
export interface RunSummary {
  readonly commands: number;
  readonly facts: number;
  readonly layout: Layout;
  readonly policy: Policy;
  readonly stats: HeapStats;
  readonly peak: Peak;
  readonly rejected: Readonly<Partial<Record<RejectionCode, number>>>;
}

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
  return lines.join('\n');
}

/** The closing summary of `lmm run` as text. */
export function runSummaryText(s: RunSummary): string {
  const lines = [`lmm run: ${s.commands} commands, ${s.facts} facts (layout ${layoutName(s.layout)}, ${s.policy})`, statsTable(s.stats, s.layout.pageSize)];
  lines.push(`peak: ${s.peak.liveBytes} live bytes in ${s.peak.heapBytes} heap bytes (peak utilization ${pct(s.peak.utilization)})`);
  const rejected = Object.entries(s.rejected);
  lines.push(rejected.length === 0 ? 'rejected: none' : `rejected: ${rejected.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  return lines.join('\n');
}

/** The statistics object printed by `--json` (SPEC §5): total, families, peak. */
export function statsJson(stats: HeapStats, peak: Peak): object {
  return { total: stats.total, families: stats.families, peak: { liveBytes: peak.liveBytes, heapBytes: peak.heapBytes, utilization: peak.utilization } };
}
