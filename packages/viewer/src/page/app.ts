import type { HeapStats, LoggedFact, StateDump } from '@lmm/core';
import { factAt } from '../factAt';
import { KIND, type RunFacts } from '../runFacts';
import type { ModelSnapshot } from '../heapModel';
import { modelStats } from '../modelStats';
import type { PageMeta } from '../pageMeta';
import { RunCursor } from '../runCursor';
import { SeriesChart } from './chart';
import { describeFact } from './describeFact';
import { el, setText } from './dom';
import { bytes, int, percent } from './format';
import { blockKey, HeapView } from './heapView';
import type { PanelElements, Skeleton } from './layout';
import { EventStrip } from './strip';
import { wireControls } from './controls';
import { describeHit } from './tooltip';

const MAX_LISTED_FACTS = 40;

interface Panel {
  readonly els: PanelElements;
  readonly run: RunFacts;
  readonly cursor: RunCursor;
  readonly view: HeapView;
}

/** When the page got how far, in milliseconds since navigation start. */
export interface Timing {
  readonly started: number;
  readonly unzipped: number;
  readonly decoded: number;
  readonly firstRender: number;
}

/** The test and automation handle the page puts on `window.lmmView`. */
export interface ViewerHandle {
  /** The command shown. */
  cmd(): number;
  /** Shows the state after `cmd` at once (no animation frame). */
  seek(cmd: number): void;
  /** Run `run`'s state dump (SPEC §3) at the command shown, as the page's own fold has it. */
  dump(run?: number): StateDump;
  /** Run `run`'s statistics at the command shown. */
  stats(run?: number): HeapStats;
  /** Run `run`'s facts of the command shown. */
  facts(run?: number): LoggedFact[];
  /** Scrolls a block into view and returns its box in client pixels, or null. */
  blockRect(run: number, page: number, offset: number): { x: number; y: number; width: number; height: number } | null;
  /**
   * Milliseconds since navigation start at which the page's script started, had unzipped and
   * decoded its runs, and had first drawn a state.
   */
  readonly timing: Timing;
  /** Folding work done so far per run (restores, facts folded) and checkpoints held. */
  work(): { restores: number; folded: number; checkpoints: number }[];
}

/** The viewer: wires the controls to the runs' cursors and draws the state after the chosen command. */
export class ViewerApp {
  private readonly panels: Panel[];
  /** The most commands of any run shown. */
  readonly commands: number;
  private current = -1;
  private pending: number | undefined;
  private follow = false;
  private hashTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly chart: SeriesChart;
  private readonly strip: EventStrip;

  constructor(
    private readonly meta: PageMeta,
    runs: readonly RunFacts[],
    private readonly ui: Skeleton,
  ) {
    this.commands = Math.max(...runs.map((r) => r.commands));
    this.panels = runs.map((run, i) => {
      const cursor = new RunCursor(run);
      const els = ui.panels[i]!;
      const view = new HeapView(els.heap, cursor.model, (hit, x, y) => this.hover(hit === undefined ? undefined : describeHit(cursor.model, hit), x, y));
      return { els, run, cursor, view };
    });
    const seek = (cmd: number): void => this.request(cmd);
    this.chart = new SeriesChart(ui.chart, meta.runs, meta.divergence, seek);
    this.strip = new EventStrip(ui.strip, meta.runs, meta.divergence, seek);
    wireControls(this, ui, meta);
  }

  /**
   * Asks for command `cmd`; drawn at the next animation frame (rapid requests coalesce).
   * With `follow`, each heap scrolls to the first block the command changed when it is out of view.
   */
  request(cmd: number, follow = false): void {
    const first = this.pending === undefined;
    this.pending = cmd;
    this.follow = follow;
    if (first) {
      requestAnimationFrame(() => {
        const c = this.pending;
        this.pending = undefined;
        if (c !== undefined) this.show(c, this.follow);
      });
    }
  }

  /** Gives run `i` a snapshot of its state after `cmd` made when the page was written (its last state). */
  pin(i: number, cmd: number, snap: ModelSnapshot): void {
    this.panels[i]!.cursor.pin(cmd, snap);
  }

  /**
   * Lays the runs' checkpoints in slices of a few milliseconds between frames, so that
   * every seek becomes cheap without holding up the first picture; the status shows how far.
   */
  buildInBackground(): void {
    const total = this.panels.reduce((n, p) => n + p.run.commands, 0);
    const channel = new MessageChannel();
    const slice = (): void => {
      const done = this.panels.every((p) => p.cursor.buildAhead(10));
      const reached = this.panels.reduce((n, p) => n + p.cursor.covered, 0);
      if (done) {
        this.ui.status.textContent = `${this.ui.status.dataset.opened ?? ''} · indexed`;
        document.body.dataset.indexed = '1';
      } else {
        this.ui.status.textContent = `${this.ui.status.dataset.opened ?? ''} · indexing ${Math.floor((reached / Math.max(1, total)) * 100)}%`;
        // A message, not a timer: nested timers wait at least 4 ms each. Frames still get drawn between slices.
        channel.port2.postMessage(0);
      }
    };
    channel.port1.onmessage = slice;
    slice();
  }

  /** Folds every run to `cmd` (clamped) and draws it now. */
  show(cmd: number, follow = false): void {
    const c = Math.max(0, Math.min(this.commands, Math.round(Number.isFinite(cmd) ? cmd : 0)));
    if (c === this.current) return;
    this.current = c;
    for (const p of this.panels) {
      p.cursor.seek(Math.min(c, p.run.commands));
      const touched = this.touched(p.run, c);
      p.view.render(touched.keys);
      if (follow && touched.first !== undefined) p.view.reveal(touched.first.page, touched.first.off);
      this.panelText(p, c);
    }
    this.markDifferences();
    this.chart.setCursor(c);
    this.strip.setCursor(c);
    this.ui.slider.value = String(c);
    if (document.activeElement !== this.ui.cmdInput) this.ui.cmdInput.value = String(c);
    document.body.dataset.cmd = String(c);
    // The URL remembers the command (reload or share it), updated once scrubbing pauses:
    // browsers throttle frequent history updates.
    clearTimeout(this.hashTimer);
    this.hashTimer = setTimeout(() => history.replaceState(null, '', `#${this.current}`), 400);
  }

  /** The command shown. */
  get cmd(): number {
    return this.current;
  }

  /** The runs shown. */
  get runs(): RunFacts[] {
    return this.panels.map((p) => p.run);
  }

  private factRange(run: RunFacts, c: number): [number, number] {
    if (c < 1 || c > run.commands) return [0, 0];
    return [run.firstFact[c]!, run.firstFact[c + 1]!];
  }

  /** The blocks command `c` changed (as `page:offset` keys), and the first of them. */
  private touched(run: RunFacts, c: number): { keys: Set<string>; first: { page: number; off: number } | undefined } {
    const keys = new Set<string>();
    let first: { page: number; off: number } | undefined;
    const [from, to] = this.factRange(run, c);
    const meta = run.header.layout.metaSize;
    for (let i = from; i < to; i++) {
      const k = run.kind[i]! & 7;
      if (k === KIND.Allocated || k === KIND.Freed) first ??= { page: run.page[i]!, off: k === KIND.Allocated ? run.off[i]! : run.moff[i]! };
      if (k === KIND.Allocated) {
        keys.add(blockKey(run.page[i]!, run.off[i]!));
        keys.add(blockKey(run.page[i]!, run.off[i]! + meta + run.size[i]!));
      } else if (k === KIND.Freed) {
        keys.add(blockKey(run.page[i]!, run.moff[i]!));
      }
    }
    return { keys, first };
  }

  private panelText(p: Panel, c: number): void {
    const run = p.run;
    const shown = Math.min(c, run.commands);
    setText(p.els.position, c > run.commands ? `after command ${int(shown)} (the run's last) of ${int(run.commands)}` : `after command ${int(shown)} of ${int(run.commands)}`);
    const s = modelStats(p.cursor.model).total;
    const peak = this.meta.runs[this.panels.indexOf(p)]!.series;
    const rows: [string, string][] = [
      ['pages', `${int(s.pages)} · ${bytes(s.heapBytes)}`],
      ['live', `${bytes(s.liveBytes)} in ${int(s.obc)} blocks`],
      ['free', `${bytes(s.freeBytes)} in ${int(s.fbc)} blocks`],
      ['largest free', bytes(s.largestFree)],
      ['hard frag', bytes(s.hardFragBytes)],
      ['soft frag', bytes(s.softFragBytes)],
      ['external frag', percent(s.externalFrag)],
      ['utilization', `${percent(s.utilization)} (peak ${percent(peak.peakUtilization)})`],
    ];
    const dl = p.els.stats;
    if (dl.childElementCount !== rows.length * 2) {
      dl.replaceChildren(...rows.flatMap(([k]) => [el('dt', { text: k }), el('dd', { attrs: { 'data-key': k } })]));
    }
    rows.forEach(([, v], i) => setText(dl.children[i * 2 + 1]!, v));
    const [from, to] = this.factRange(run, c);
    setText(p.els.factsTitle, c === 0 ? 'the empty heap before command 1' : c > run.commands ? `no command ${int(c)} in this run` : `command ${int(c)}: ${to - from} fact${to - from === 1 ? '' : 's'}`);
    const items: HTMLElement[] = [];
    for (let i = from; i < Math.min(to, from + MAX_LISTED_FACTS); i++) {
      const f = factAt(run, i);
      items.push(el('li', { className: `fact ${f.type}` }, el('span', { className: 'ftype', text: f.type }), el('span', { className: 'ftext', text: describeFact(f) })));
    }
    if (to - from > MAX_LISTED_FACTS) items.push(el('li', { className: 'fact more', text: `… ${int(to - from - MAX_LISTED_FACTS)} more` }));
    p.els.facts.replaceChildren(...items);
  }

  /** With two runs, marks the statistics that differ. */
  private markDifferences(): void {
    if (this.panels.length < 2) return;
    const [a, b] = this.panels.map((p) => [...p.els.stats.querySelectorAll('dd')]);
    a!.forEach((dd, i) => {
      const other = b![i];
      const differs = other !== undefined && other.textContent !== dd.textContent;
      dd.classList.toggle('differs', differs);
      other?.classList.toggle('differs', differs);
    });
  }

  private hover(lines: string[] | undefined, x: number, y: number): void {
    const tip = this.ui.tooltip;
    if (lines === undefined) {
      tip.hidden = true;
      return;
    }
    tip.replaceChildren(...lines.map((l, i) => el('div', { className: i === 0 ? 'tip-head' : 'tip-line', text: l })));
    tip.hidden = false;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    tip.style.left = `${Math.min(x + 14, window.innerWidth - w - 6)}px`;
    tip.style.top = `${y + 16 + h > window.innerHeight ? y - h - 8 : y + 16}px`;
  }

  /** The command being moved to: the pending one if a frame has not drawn it yet. */
  target(): number {
    return this.pending ?? this.current;
  }

  /** The handle for tests and automation. */
  handle(timing: Timing): ViewerHandle {
    const panel = (i = 0): Panel => {
      const p = this.panels[i];
      if (p === undefined) throw new Error(`no run ${i}`);
      return p;
    };
    return {
      cmd: () => this.current,
      seek: (c) => this.show(c),
      dump: (i) => panel(i).cursor.model.dump(),
      stats: (i) => modelStats(panel(i).cursor.model),
      facts: (i) => {
        const p = panel(i);
        const [from, to] = this.factRange(p.run, this.current);
        return Array.from({ length: to - from }, (_, k) => factAt(p.run, from + k));
      },
      blockRect: (i, page, offset) => panel(i).view.blockRect(page, offset),
      timing,
      work: () => this.panels.map((p) => ({ ...p.cursor.work, checkpoints: p.cursor.checkpointCount })),
    };
  }
}
