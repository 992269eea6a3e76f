import type { PageMeta } from '../model/pageMeta.js';
import { peakLabels } from './chart.js';
import { el } from './dom.js';
import { int } from './format.js';
import { COLORS, familyColor } from './palette.js';

/** The page's static elements, built once. */
export interface Skeleton {
  readonly status: HTMLElement;
  readonly first: HTMLButtonElement;
  readonly back: HTMLButtonElement;
  readonly forward: HTMLButtonElement;
  readonly last: HTMLButtonElement;
  readonly cmdInput: HTMLInputElement;
  readonly eventKind: HTMLSelectElement;
  readonly prevEvent: HTMLButtonElement;
  readonly nextEvent: HTMLButtonElement;
  readonly peak: HTMLButtonElement;
  readonly peakLive: HTMLButtonElement;
  readonly divergence: HTMLButtonElement | undefined;
  readonly strip: HTMLCanvasElement;
  readonly slider: HTMLInputElement;
  readonly chart: HTMLCanvasElement;
  /** The runs' peaks as text, under the chart. */
  readonly peaks: HTMLElement;
  readonly panels: readonly PanelElements[];
  readonly tooltip: HTMLElement;
}

/** One run's column. */
export interface PanelElements {
  readonly root: HTMLElement;
  readonly position: HTMLElement;
  readonly stats: HTMLElement;
  readonly factsTitle: HTMLElement;
  readonly facts: HTMLOListElement;
  readonly heap: HTMLElement;
}

const button = (text: string, title: string): HTMLButtonElement => el('button', { text, title, attrs: { type: 'button' } });

function swatch(color: string, label: string, extra = ''): HTMLElement {
  const s = el('span', { className: `swatch ${extra}` });
  s.style.background = color;
  return el('span', { className: 'legend-item' }, s, el('span', { text: label }));
}

/** Builds the page: header (title, controls, event strip, slider, chart, legend), one panel per run, the tooltip. */
export function buildSkeleton(meta: PageMeta): Skeleton {
  const commands = Math.max(...meta.runs.map((r) => r.commands));
  const two = meta.runs.length > 1;
  const r0 = meta.runs[0]!;
  const { pageSize, pageHeaderSize, metaSize } = r0.header.layout;
  const title = el(
    'div',
    { className: 'title' },
    el('span', { className: 'app', text: 'lmm view' }),
    el('span', { className: 'names', text: meta.runs.map((r) => r.name).join('  vs  ') }),
    el('span', {
      className: 'sub',
      text: meta.runs
        .map((r) => `${two ? (r === r0 ? 'A: ' : 'B: ') : ''}layout ${r.header.layout.pageSize}/${r.header.layout.pageHeaderSize}/${r.header.layout.metaSize} · ${r.header.policy}${r.header.switch === undefined ? '' : ` → ${r.header.switch.policy} after command ${int(r.header.switch.cmd)}`}${r.header.maxPages === null ? '' : ` · max ${r.header.maxPages} pages`} · ${int(r.commands)} commands · ${int(r.facts)} facts`)
        .join('   '),
    }),
  );
  const status = el('span', { className: 'status', text: 'loading…' });
  const first = button('|◀', 'first command: the empty heap (Home)');
  const back = button('◀', 'previous command (←; Shift+← 100 back)');
  const forward = button('▶', 'next command (→; Shift+→ 100 on)');
  const last = button('end ▶|', 'the last command: the heap at the end of the run (End)');
  const cmdInput = el('input', { className: 'cmd', title: 'jump to a command number (Enter)', attrs: { type: 'number', min: '0', max: String(commands), step: '1', 'aria-label': 'command number' } });
  cmdInput.style.width = `${String(commands).length + 5}ch`;
  const eventKind = el('select', { title: 'which events ◀ ▶ jump between' });
  for (const [value, label] of [
    ['any', 'any event'],
    ['PageRequest', 'page request'],
    ['PageRelease', 'page release'],
    ['Rejected', 'rejection'],
    ['Avoidable', 'avoidable growth'],
  ] as const) {
    eventKind.append(el('option', { text: label, attrs: { value } }));
  }
  const prevEvent = button('◀ event', 'previous command with such an event ([)');
  const nextEvent = button('event ▶', 'next command with such an event (])');
  const peak = button('peak heap', 'jump to the command where the heap first reached its peak (p)');
  const peakLive = button('peak live', 'jump to the command where the live bytes first reached their peak (l)');
  const divergence = two ? button('first divergence', 'jump to the first command where the runs differ (d)') : undefined;
  const controls = el(
    'div',
    { className: 'controls' },
    first,
    back,
    forward,
    last,
    el('label', { className: 'cmd-label', text: 'command ' }, cmdInput, el('span', { text: ` / ${int(commands)}` })),
    el('span', { className: 'sep' }),
    eventKind,
    prevEvent,
    nextEvent,
    peak,
    peakLive,
    ...(divergence ? [divergence] : []),
    el('span', { className: 'keys', text: '← → step · Shift ×100 · PgUp PgDn ×5% · Home End · [ ] events' }),
    status,
  );
  const strip = el('canvas', { className: 'strip' });
  const slider = el('input', { className: 'slider', attrs: { type: 'range', min: '0', max: String(commands), step: '1', value: String(commands), 'aria-label': 'timeline' } });
  const chart = el('canvas', { className: 'chart' });
  const peaks = el(
    'div',
    { className: 'peaks' },
    ...peakLabels(meta.runs).map((run) =>
      el(
        'span',
        { className: 'peak-run' },
        ...run.map(({ text, color }) => {
          const s = el('span', { className: 'peak', text });
          s.style.color = color;
          return s;
        }),
      ),
    ),
  );
  const legend = el(
    'div',
    { className: 'legend' },
    ...(pageHeaderSize > 0 ? [swatch(COLORS.header, `page header (${pageHeaderSize} B)`)] : []),
    swatch(COLORS.meta, `meta block (${metaSize} B)`),
    swatch(familyColor(0), 'allocated data (colour of its family)'),
    swatch(COLORS.free, 'free block', 'bordered'),
    swatch(COLORS.soft, 'free < struct size (soft frag)'),
    swatch(COLORS.gap, 'gap (hard frag)'),
    swatch(COLORS.queueHead, 'free-queue head (▼, outlined)', 'head'),
    swatch(COLORS.changed, 'changed by this command', 'ring'),
    ...(two ? [swatch(COLORS.differs, 'not the same in A and B', 'differs')] : []),
    el('span', { className: 'legend-gap' }),
    swatch(COLORS.heapLine, 'heap bytes'),
    swatch(COLORS.live, 'live bytes'),
    swatch(COLORS.util, 'utilization (right axis)'),
    swatch(COLORS.request, 'page request ↑'),
    swatch(COLORS.release, 'page release ↓'),
    swatch(COLORS.rejection, 'rejection •'),
    swatch(COLORS.avoidable, 'avoidable growth ▲ (a page requested while the free bytes sufficed)'),
    ...(two ? [swatch(COLORS.divergence, 'first divergence')] : []),
    el('span', { className: 'scale', text: `one row = one ${int(pageSize)}-byte page` }),
  );
  const header = el('header', {}, title, controls, el('div', { className: 'track' }, strip), el('div', { className: 'track' }, slider), el('div', { className: 'track' }, chart), peaks, legend);
  const panels = meta.runs.map((r, i) => {
    const position = el('span', { className: 'position' });
    const stats = el('dl', { className: 'stats' });
    const factsTitle = el('span', { className: 'facts-title' });
    const facts = el('ol', { className: 'facts' });
    const heap = el('div', { className: 'heap' });
    const head = el('div', { className: 'run-head' }, el('h2', { text: `${two ? (i === 0 ? 'A · ' : 'B · ') : ''}${r.name}` }), position);
    const root = el('section', { className: 'run' }, head, stats, el('div', { className: 'facts-box' }, factsTitle, facts), heap);
    return { root, position, stats, factsTitle, facts, heap };
  });
  const main = el('main', { className: two ? 'runs two' : 'runs' }, ...panels.map((p) => p.root));
  const tooltip = el('div', { className: 'tooltip', attrs: { role: 'tooltip' } });
  tooltip.hidden = true;
  document.body.append(header, main, tooltip);
  return { status, first, back, forward, last, cmdInput, eventKind, prevEvent, nextEvent, peak, peakLive, divergence, strip, slider, chart, peaks, panels, tooltip };
}
