import { STATS_FIELDS as FINAL_FIELDS } from '@lmm/core';
import type { CompareRow } from './compareRun.js';

/** The row fields before `final`, in JSON order. */
const ROW_FIELDS = ['trace', 'layout', 'families', 'policy', 'commands', 'rejected', 'peakLiveBytes', 'peakHeapBytes', 'peakUtilization', 'peakPages'] as const;

/** `compare --json` (SPEC §5): `{"runs":[…]}`, one object per row with the final total statistics. */
export function compareJson(rows: readonly CompareRow[]): string {
  return JSON.stringify({ runs: rows.map((r) => ({ ...Object.fromEntries(ROW_FIELDS.map((f) => [f, r[f]])), final: r.final })) });
}

/** A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break. */
function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `compare --csv` (SPEC §5): the JSON fields as columns, the final statistics prefixed `final.`; numbers as JSON writes them. */
export function compareCsv(rows: readonly CompareRow[]): string {
  const header = [...ROW_FIELDS, ...FINAL_FIELDS.map((f) => `final.${f}`)];
  const lines = [header.join(',')];
  for (const r of rows) lines.push([...ROW_FIELDS.map((f) => csvField(r[f])), ...FINAL_FIELDS.map((f) => csvField(r.final[f]))].join(','));
  return `${lines.join('\n')}\n`;
}

/** For each row, true when its peak utilization is the best of its trace's rows (ties all marked). */
export function bestOfTrace(rows: readonly CompareRow[]): boolean[] {
  const best = new Map<string, number>();
  for (const r of rows) best.set(r.trace, Math.max(best.get(r.trace) ?? -Infinity, r.peakUtilization));
  return rows.map((r) => r.peakUtilization === best.get(r.trace));
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const int = (n: number): string => n.toLocaleString('en');

/**
 * The rows as a text table for people, one per run in the order given, with `*` beside the
 * best peak utilization of each trace. Page requests and avoidable growth are the run's
 * totals at its end.
 */
export function compareTable(rows: readonly CompareRow[]): string {
  const best = bestOfTrace(rows);
  const head = ['trace', 'layout', 'families', 'policy', 'commands', 'peak live', 'peak heap', 'peak pages', 'peak util', '', 'ext frag', 'page reqs', 'avoidable', 'rejected'];
  const body = rows.map((r, i) => [
    r.trace,
    r.layout,
    r.families,
    r.policy,
    int(r.commands),
    int(r.peakLiveBytes),
    int(r.peakHeapBytes),
    int(r.peakPages),
    pct(r.peakUtilization),
    best[i] ? '*' : '',
    pct(r.final.externalFrag),
    int(r.final.pageRequests),
    int(r.final.avoidableGrowth),
    int(r.rejected),
  ]);
  const all = [head, ...body];
  const widths = head.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  const left = new Set([0, 1, 2, 3, 9]);
  const lines = all.map((row) => row.map((cell, c) => (left.has(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
  lines.push('* the best peak utilization (peak live / peak heap bytes) of the trace');
  return `${lines.join('\n')}\n`;
}
