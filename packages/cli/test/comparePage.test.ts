/**
 * The page of `lmm compare -o` (`comparePage`), on rows and series made up for the test (the
 * page draws what it is given; the numbers need not come from a run, and are chosen so the
 * geometry can be worked out by hand in the comments): the bar chart, the table, each run's
 * chart of live and heap bytes, and the page around them, compared as exact text.
 */
import { describe, expect, it } from 'vitest';
import { initialState, LAYOUTS, statsOf, type Stats } from '@lmm/core';
import { comparePage } from '../src/comparePage.js';
import type { CompareResult, CompareRow } from '../src/compareRun.js';
import type { SeriesBuckets } from '../src/minMaxSeries.js';

const EMPTY: Stats = statsOf(initialState({ layout: LAYOUTS.seed })).total;

function row(fields: Partial<CompareRow> & Pick<CompareRow, 'trace' | 'policy' | 'peakLiveBytes' | 'peakHeapBytes'>, final: Partial<Stats> = {}): CompareRow {
  return {
    layout: 'seed',
    families: 'single',
    commands: 0,
    rejected: 0,
    peakUtilization: fields.peakLiveBytes / fields.peakHeapBytes,
    peakPages: 1,
    ...fields,
    final: { ...EMPTY, ...final },
  };
}

// Trace a<b>.log (escaped &#60; &#62;), worst fit: 1500 / 2000 = 75 %, the best of its trace.
// Its series: 7 commands in buckets of 2 (the last bucket holds command 7 alone).
const R0 = row({ trace: 'a<b>.log', policy: 'worst-fit', commands: 7, rejected: 1, peakLiveBytes: 1500, peakHeapBytes: 2000 }, { externalFrag: 0.2578125, pageRequests: 2, avoidableGrowth: 1 });
const S0: SeriesBuckets = { commands: 7, width: 2, liveMin: [0, 100, 500, 0], liveMax: [100, 500, 1500, 1000], heapMin: [1000, 1000, 1000, 2000], heapMax: [1000, 2000, 2000, 2000] };
// Best fit on the same trace: 1951 / 4096 = 47.63 %; 2 commands, one a bucket.
const R1 = row({ trace: 'a<b>.log', policy: 'best-fit', commands: 2, peakLiveBytes: 1951, peakHeapBytes: 4096 }, { pageRequests: 1 });
const S1: SeriesBuckets = { commands: 2, width: 1, liveMin: [1951, 0], liveMax: [1951, 0], heapMin: [4096, 4096], heapMax: [4096, 4096] };
// Another trace, its one run the best of it at 25 %; given no series, it has no chart.
const R2 = row({ trace: 'z.jsonl', policy: 'worst-fit', commands: 1234, peakLiveBytes: 1024, peakHeapBytes: 4096 }, { externalFrag: 1, pageRequests: 12345, avoidableGrowth: 3 });
const RESULTS: CompareResult[] = [
  { row: R0, series: S0 },
  { row: R1, series: S1 },
  { row: R2 },
];

const TEXT = '#1f2937';
const MUTED = '#6b7280';

/**
 * The bars: plot 220 high from y = 20, bars 26 wide from x = 48, 6 apart, 36 between traces.
 * a<b>.log: worst fit 0.75 × 220 = 165 high at y = 240 − 165 = 75, in amber (the best);
 * best fit 0.4763 × 220 = 104.79 high at y = 135.21 (one decimal kept), labelled 48 (%);
 * the trace's name under the middle of its bars, (48 + 112 − 6) / 2 = 77, at y = 20 + 220 +
 * 130 − 8 = 362. z.jsonl from x = 112 + 30 = 142: 55 high at y = 185, amber, its name at 155.
 * The chart is 204 + 20 = 224 wide and 370 high; grid lines every 25 % from x 44 to 214.
 */
const BARS =
  '<svg class="bars" width="224" height="370" viewBox="0 0 224 370" role="img" aria-label="peak utilization per trace and policy">' +
  [
    [240, 0],
    [185, 25],
    [130, 50],
    [75, 75],
    [20, 100],
  ]
    .map(([y, p]) => `<line x1="44" x2="214" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="40" y="${y! + 3}" font-size="10" text-anchor="end" fill="${MUTED}">${p}%</text>`)
    .join('') +
  `<rect x="48" y="75" width="26" height="165" fill="#f59e0b"><title>a&#60;b&#62;.log · worst-fit: peak utilization 75.0%</title></rect>` +
  `<text x="61" y="71" font-size="10" text-anchor="middle" fill="${TEXT}">75</text>` +
  `<text transform="translate(64,246) rotate(60)" font-size="10" fill="${TEXT}">worst-fit</text>` +
  `<rect x="80" y="135.2" width="26" height="104.8" fill="#8b5cf6"><title>a&#60;b&#62;.log · best-fit: peak utilization 47.6%</title></rect>` +
  `<text x="93" y="131.2" font-size="10" text-anchor="middle" fill="${TEXT}">48</text>` +
  `<text transform="translate(96,246) rotate(60)" font-size="10" fill="${TEXT}">best-fit</text>` +
  `<text x="77" y="362" font-size="11" font-weight="600" text-anchor="middle" fill="${TEXT}">a&#60;b&#62;.log</text>` +
  `<rect x="142" y="185" width="26" height="55" fill="#f59e0b"><title>z.jsonl · worst-fit: peak utilization 25.0%</title></rect>` +
  `<text x="155" y="181" font-size="10" text-anchor="middle" fill="${TEXT}">25</text>` +
  `<text transform="translate(158,246) rotate(60)" font-size="10" fill="${TEXT}">worst-fit</text>` +
  `<text x="155" y="362" font-size="11" font-weight="600" text-anchor="middle" fill="${TEXT}">z.jsonl</text>` +
  '</svg>';

const TABLE =
  '<table><thead><tr>' +
  ['trace', 'layout', 'families', 'policy', 'commands', 'peak live', 'peak heap', 'peak pages', 'peak util', 'ext frag', 'page reqs', 'avoidable', 'rejected'].map((h) => `<th>${h}</th>`).join('') +
  '</tr></thead><tbody>' +
  '<tr class="best"><td>a&#60;b&#62;.log</td><td>seed</td><td>single</td><td>worst-fit</td><td>7</td><td>1,500</td><td>2,000</td><td>1</td><td>75.0% ★</td><td>25.8%</td><td>2</td><td>1</td><td>1</td></tr>' +
  '<tr><td>a&#60;b&#62;.log</td><td>seed</td><td>single</td><td>best-fit</td><td>2</td><td>1,951</td><td>4,096</td><td>1</td><td>47.6%</td><td>0.0%</td><td>1</td><td>0</td><td>0</td></tr>' +
  '<tr class="best"><td>z.jsonl</td><td>seed</td><td>single</td><td>worst-fit</td><td>1,234</td><td>1,024</td><td>4,096</td><td>1</td><td>25.0% ★</td><td>100.0%</td><td>12,345</td><td>3</td><td>0</td></tr>' +
  '</tbody></table>';

/** A run chart's frame: 640 × 130, the plot from x 70 to 630 and y 8 to 108; the scale's top, and the last command. */
const runAxis = (max: string, commands: string): string =>
  `<line x1="70" x2="630" y1="108" y2="108" stroke="#e5e7eb"/>` +
  `<text x="64" y="16" font-size="10" text-anchor="end" fill="${MUTED}">${max} B</text>` +
  `<text x="64" y="108" font-size="10" text-anchor="end" fill="${MUTED}">0</text>` +
  `<text x="70" y="124" font-size="10" fill="${MUTED}">command 0</text>` +
  `<text x="630" y="124" font-size="10" text-anchor="end" fill="${MUTED}">${commands}</text>`;

/** A band: the polygon from the maxima (left to right) back along the minima, and the line of the maxima. */
const band = (up: string, down: string, fill: string, stroke: string): string => `<polygon points="${up} ${down}" fill="${fill}"/><polyline points="${up}" fill="none" stroke="${stroke}" stroke-width="1.2"/>`;

/**
 * Run 0: 7 commands over x 70…630 (80 a command), buckets 0–2, 2–4, 4–6, 6–7 (x 70, 230, 390,
 * 550, 630); the scale tops at 2000 bytes, y = 108 − v / 20. Heap: maxima 1000, 2000, 2000,
 * 2000 (y 58, 8, 8, 8), minima 1000, 1000, 1000, 2000. Live: maxima 100, 500, 1500, 1000
 * (y 103, 83, 33, 58), minima 0, 100, 500, 0 (y 108, 103, 83, 108).
 */
const CHART0 =
  '<svg class="run" width="640" height="130" viewBox="0 0 640 130" role="img" aria-label="live and heap bytes of a&#60;b&#62;.log under worst-fit">' +
  runAxis('2,000', '7') +
  band('70,58 230,58 230,8 390,8 390,8 550,8 550,8 630,8', '550,8 630,8 390,58 550,58 230,58 390,58 70,58 230,58', '#bfdbfe', '#2563eb') +
  band('70,103 230,103 230,83 390,83 390,33 550,33 550,58 630,58', '550,108 630,108 390,83 550,83 230,103 390,103 70,108 230,108', '#bbf7d0', '#16a34a') +
  '</svg>';

/** Run 1: 2 commands (x 70, 350, 630); the scale tops at 4096, y = 108 − v × 100 / 4096: 4096 at 8, 1951 at 60.37 → 60.4, 0 at 108. */
const CHART1 =
  '<svg class="run" width="640" height="130" viewBox="0 0 640 130" role="img" aria-label="live and heap bytes of a&#60;b&#62;.log under best-fit">' +
  runAxis('4,096', '2') +
  band('70,8 350,8 350,8 630,8', '350,8 630,8 70,8 350,8', '#bfdbfe', '#2563eb') +
  band('70,60.4 350,60.4 350,108 630,108', '350,108 630,108 70,60.4 350,60.4', '#bbf7d0', '#16a34a') +
  '</svg>';

const FIGURES =
  `<figure><figcaption>a&#60;b&#62;.log · seed · single · <b>worst-fit</b> — peak live 1,500 B, peak heap 2,000 B (75.0%), 2 commands a bucket</figcaption>${CHART0}</figure>` +
  `<figure><figcaption>a&#60;b&#62;.log · seed · single · <b>best-fit</b> — peak live 1,951 B, peak heap 4,096 B (47.6%)</figcaption>${CHART1}</figure>`;

const STYLE =
  'body{font:14px/1.4 system-ui,sans-serif;color:#1f2937;margin:24px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}' +
  'table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:3px 8px;border-bottom:1px solid #e5e7eb;text-align:right}' +
  'th:nth-child(-n+4),td:nth-child(-n+4){text-align:left}tr.best td{background:#fef3c7}figure{margin:12px 0}figcaption{font-size:12px;color:#6b7280}' +
  '.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-1px}';

describe('comparePage', () => {
  it('the whole page: style, bar chart, table and run charts, exactly', () => {
    const page = comparePage(RESULTS);
    expect(page).toBe(
      [
        '<!doctype html>',
        `<html lang="en"><head><meta charset="utf-8"><title>lmm compare</title><style>${STYLE}</style></head>`,
        '<body><h1>lmm compare</h1>',
        '<h2>Peak utilization (peak live / peak heap bytes) per trace and policy</h2>',
        '<p class="key"><span style="background:#f59e0b"></span>the best of its trace</p>',
        BARS,
        '<h2>Runs</h2>',
        TABLE,
        '<h2>Live and heap bytes over time</h2>',
        `<p class="key"><span style="background:#2563eb"></span>heap bytes<span style="background:#16a34a"></span>live bytes (bands: each bucket's min to max)</p>`,
        FIGURES,
        '</body></html>',
        '',
      ].join('\n'),
    );
    // Self-contained: nothing to run or fetch.
    expect(page).not.toMatch(/<script|src=|href=/i);
  });

  it('a run of no command: a bar of height 0 at the baseline, its chart a frame with the scale at 1 byte and no band', () => {
    const r = row({ trace: 'e.jsonl', policy: 'best-fit', peakLiveBytes: 0, peakHeapBytes: 0, peakUtilization: 0, peakPages: 0 });
    const page = comparePage([{ row: r, series: { commands: 0, width: 1, liveMin: [], liveMax: [], heapMin: [], heapMax: [] } }]);
    expect(page).toContain(`<rect x="48" y="240" width="26" height="0" fill="#f59e0b"><title>e.jsonl · best-fit: peak utilization 0.0%</title></rect><text x="61" y="236" font-size="10" text-anchor="middle" fill="${TEXT}">0</text>`);
    expect(page).toContain(
      `<figure><figcaption>e.jsonl · seed · single · <b>best-fit</b> — peak live 0 B, peak heap 0 B (0.0%)</figcaption><svg class="run" width="640" height="130" viewBox="0 0 640 130" role="img" aria-label="live and heap bytes of e.jsonl under best-fit">${runAxis('1', '0')}</svg></figure>`,
    );
    // One bar: the chart 48 + (26 + 6) + (36 − 6) + 20 = 130 wide.
    expect(page).toContain('<svg class="bars" width="130" height="370" viewBox="0 0 130 370"');
  });

  it('a bar is labelled by what tells the runs apart: the layout and mapping when the lists hold more than one', () => {
    const labels = (rows: CompareRow[]): string[] => [...comparePage(rows.map((r) => ({ row: r }))).matchAll(/rotate\(60\)" font-size="10" fill="#1f2937">([^<]*)<\/text>/g)].map((m) => m[1]!);
    const r = (layout: string, families: CompareRow['families']): CompareRow => row({ trace: 't', policy: 'first-fit', layout, families, peakLiveBytes: 1, peakHeapBytes: 2 });
    expect(labels([r('seed', 'single'), r('lmm32', 'single')])).toEqual(['seed · first-fit', 'lmm32 · first-fit']);
    expect(labels([r('seed', 'single'), r('seed', 'pow2')])).toEqual(['single · first-fit', 'pow2 · first-fit']);
    expect(labels([r('seed', 'single'), r('lmm32', 'exact')])).toEqual(['seed · single · first-fit', 'lmm32 · exact · first-fit']);
    expect(labels([r('seed', 'single'), r('seed', 'single')])).toEqual(['first-fit', 'first-fit']);
    // The bar's title holds the trace and the same label.
    expect(comparePage([{ row: r('seed', 'single') }, { row: r('lmm32', 'exact') }])).toContain('<title>t · lmm32 · exact · first-fit: peak utilization 50.0%</title>');
  });

  it('escapes &, <, >, quotes in the trace as written', () => {
    const page = comparePage([{ row: row({ trace: `&<>"'.log`, policy: 'best-fit', peakLiveBytes: 1, peakHeapBytes: 2 }) }]);
    expect(page).toContain('<td>&#38;&#60;&#62;&#34;&#39;.log</td>');
    expect(page).not.toContain(`&<>"'`);
  });
});
