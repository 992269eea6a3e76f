import { bestOfTrace } from './compareFormat.js';
import type { CompareResult, CompareRow } from './compareRun.js';
import type { SeriesBuckets } from './minMaxSeries.js';

/** Text for HTML content and attribute values. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const int = (n: number): string => n.toLocaleString('en');
const num = (x: number): string => String(Math.round(x * 10) / 10);

const COLORS = { heap: '#2563eb', heapBand: '#bfdbfe', live: '#16a34a', liveBand: '#bbf7d0', bar: '#8b5cf6', best: '#f59e0b', grid: '#e5e7eb', text: '#1f2937', muted: '#6b7280' };

/** What tells apart the rows of one trace: the policy alone when the layouts and mappings are one each. */
function rowLabel(r: CompareRow, rows: readonly CompareRow[]): string {
  const layouts = new Set(rows.map((x) => x.layout));
  const families = new Set(rows.map((x) => x.families));
  return [...(layouts.size > 1 ? [r.layout] : []), ...(families.size > 1 ? [r.families] : []), r.policy].join(' · ');
}

/** The bar chart of peak utilization: a group of bars per trace, one bar per run, the best of each trace in amber. */
function barChart(rows: readonly CompareRow[]): string {
  const best = bestOfTrace(rows);
  const traces = [...new Set(rows.map((r) => r.trace))];
  const barW = 26;
  const gap = 6;
  const groupGap = 36;
  const plotH = 220;
  const top = 20;
  const left = 48;
  const bottom = 130;
  let x = left;
  const parts: string[] = [];
  for (const t of traces) {
    const group = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.trace === t);
    const x0 = x;
    for (const { r, i } of group) {
      const h = r.peakUtilization * plotH;
      const y = top + plotH - h;
      parts.push(
        `<rect x="${x}" y="${num(y)}" width="${barW}" height="${num(h)}" fill="${best[i] ? COLORS.best : COLORS.bar}"><title>${esc(`${r.trace} · ${rowLabel(r, rows)}: peak utilization ${pct(r.peakUtilization)}`)}</title></rect>`,
        `<text x="${x + barW / 2}" y="${num(y - 4)}" font-size="10" text-anchor="middle" fill="${COLORS.text}">${(r.peakUtilization * 100).toFixed(0)}</text>`,
        `<text transform="translate(${x + barW / 2 + 3},${top + plotH + 6}) rotate(60)" font-size="10" fill="${COLORS.text}">${esc(rowLabel(r, rows))}</text>`,
      );
      x += barW + gap;
    }
    const mid = (x0 + x - gap) / 2;
    parts.push(`<text x="${num(mid)}" y="${top + plotH + bottom - 8}" font-size="11" font-weight="600" text-anchor="middle" fill="${COLORS.text}">${esc(t)}</text>`);
    x += groupGap - gap;
  }
  const width = x + 20;
  const grid: string[] = [];
  for (let p = 0; p <= 100; p += 25) {
    const y = top + plotH - (p / 100) * plotH;
    grid.push(`<line x1="${left - 4}" x2="${width - 10}" y1="${num(y)}" y2="${num(y)}" stroke="${COLORS.grid}"/>`, `<text x="${left - 8}" y="${num(y + 3)}" font-size="10" text-anchor="end" fill="${COLORS.muted}">${p}%</text>`);
  }
  return `<svg class="bars" width="${width}" height="${top + plotH + bottom}" viewBox="0 0 ${width} ${top + plotH + bottom}" role="img" aria-label="peak utilization per trace and policy">${grid.join('')}${parts.join('')}</svg>`;
}

/** A band between the minima and maxima of each bucket, and a line along the maxima. */
function band(s: SeriesBuckets, lo: readonly number[], hi: readonly number[], x: (c: number) => number, y: (v: number) => number, fill: string, stroke: string): string {
  const up: string[] = [];
  const down: string[] = [];
  for (let b = 0; b < hi.length; b++) {
    const x0 = x(b * s.width);
    const x1 = x(Math.min((b + 1) * s.width, s.commands));
    up.push(`${num(x0)},${num(y(hi[b]!))}`, `${num(x1)},${num(y(hi[b]!))}`);
    down.push(`${num(x1)},${num(y(lo[b]!))}`, `${num(x0)},${num(y(lo[b]!))}`);
  }
  return `<polygon points="${[...up, ...down.reverse()].join(' ')}" fill="${fill}"/><polyline points="${up.join(' ')}" fill="none" stroke="${stroke}" stroke-width="1.2"/>`;
}

/** One run's live and heap bytes over its commands (each bucket's min and max). */
function runChart(r: CompareRow, s: SeriesBuckets): string {
  const w = 640;
  const h = 130;
  const left = 70;
  const top = 8;
  const plotW = w - left - 10;
  const plotH = h - top - 22;
  const max = Math.max(1, ...s.heapMax, ...s.liveMax);
  const x = (c: number): number => left + (s.commands === 0 ? 0 : (c / s.commands) * plotW);
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const axis = [
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="${COLORS.grid}"/>`,
    `<text x="${left - 6}" y="${top + 8}" font-size="10" text-anchor="end" fill="${COLORS.muted}">${esc(int(max))} B</text>`,
    `<text x="${left - 6}" y="${top + plotH}" font-size="10" text-anchor="end" fill="${COLORS.muted}">0</text>`,
    `<text x="${left}" y="${h - 6}" font-size="10" fill="${COLORS.muted}">command 0</text>`,
    `<text x="${left + plotW}" y="${h - 6}" font-size="10" text-anchor="end" fill="${COLORS.muted}">${esc(int(s.commands))}</text>`,
  ];
  const bands = s.commands === 0 ? '' : band(s, s.heapMin, s.heapMax, x, y, COLORS.heapBand, COLORS.heap) + band(s, s.liveMin, s.liveMax, x, y, COLORS.liveBand, COLORS.live);
  return `<svg class="run" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(`live and heap bytes of ${r.trace} under ${r.policy}`)}">${axis.join('')}${bands}</svg>`;
}

/**
 * The page of `lmm compare -o` (SPEC §5): self-contained (inline SVG and style, no script, no
 * network): a bar chart of peak utilization per trace and policy, the table, and each run's
 * live and heap bytes over time, bucketed with the min and max of each bucket so no peak is lost.
 */
export function comparePage(results: readonly CompareResult[]): string {
  const rows = results.map((r) => r.row);
  const best = bestOfTrace(rows);
  const head = ['trace', 'layout', 'families', 'policy', 'commands', 'peak live', 'peak heap', 'peak pages', 'peak util', 'ext frag', 'page reqs', 'avoidable', 'rejected'];
  const table = `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (r, i) =>
        `<tr${best[i] ? ' class="best"' : ''}><td>${esc(r.trace)}</td><td>${esc(r.layout)}</td><td>${r.families}</td><td>${r.policy}</td><td>${int(r.commands)}</td><td>${int(r.peakLiveBytes)}</td><td>${int(r.peakHeapBytes)}</td><td>${int(r.peakPages)}</td><td>${pct(r.peakUtilization)}${best[i] ? ' ★' : ''}</td><td>${pct(r.final.externalFrag)}</td><td>${int(r.final.pageRequests)}</td><td>${int(r.final.avoidableGrowth)}</td><td>${int(r.rejected)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  const runs = results
    .map(({ row: r, series }) =>
      series === undefined
        ? ''
        : `<figure><figcaption>${esc(r.trace)} · ${esc(r.layout)} · ${r.families} · <b>${r.policy}</b> — peak live ${int(r.peakLiveBytes)} B, peak heap ${int(r.peakHeapBytes)} B (${pct(r.peakUtilization)})${series.width > 1 ? `, ${int(series.width)} commands a bucket` : ''}</figcaption>${runChart(r, series)}</figure>`,
    )
    .join('');
  const css = `body{font:14px/1.4 system-ui,sans-serif;color:${COLORS.text};margin:24px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:3px 8px;border-bottom:1px solid ${COLORS.grid};text-align:right}th:nth-child(-n+4),td:nth-child(-n+4){text-align:left}tr.best td{background:#fef3c7}figure{margin:12px 0}figcaption{font-size:12px;color:${COLORS.muted}}.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-1px}`;
  const key = `<p class="key"><span style="background:${COLORS.heap}"></span>heap bytes<span style="background:${COLORS.live}"></span>live bytes (bands: each bucket's min to max)</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lmm compare</title><style>${css}</style></head>
<body><h1>lmm compare</h1>
<h2>Peak utilization (peak live / peak heap bytes) per trace and policy</h2>
<p class="key"><span style="background:${COLORS.best}"></span>the best of its trace</p>
${barChart(rows)}
<h2>Runs</h2>
${table}
<h2>Live and heap bytes over time</h2>
${key}
${runs}
</body></html>
`;
}
