import type { HeapStats, LoggedFact, StateDump } from '@lmm/core';
import type { OpeningState } from '../model/openingState.js';
import { modelStats } from '../model/modelStats.js';
import type { PageMeta } from '../model/pageMeta.js';
import type { RunFacts } from '../model/runFacts.js';
import type { EventKind } from '../model/servedApi.js';
import { differingBlocks } from './blockDiff.js';
import { SeriesChart } from './chart.js';
import { wireControls } from './controls.js';
import { el } from './dom.js';
import type { HeapHit } from './heapView.js';
import type { Skeleton } from './layout.js';
import { RunPanel } from './runPanel.js';
import type { ServedStates } from './servedStates.js';
import { EventStrip } from './strip.js';
import { describeHit } from './tooltip.js';

/** When the page got how far, in milliseconds since navigation start. */
export interface Timing {
  /** The page's script started (the HTML is parsed). */
  readonly started: number;
  /** The last states were drawn: what the user sees first. */
  readonly firstRender: number;
  /** The frame with the last states was on screen (the next frame after `firstRender`). */
  readonly firstPaint: number;
  /** The runs' facts were unzipped. */
  readonly unzipped: number;
  /** The runs' facts were decoded: from here on any command can be shown. */
  readonly decoded: number;
}

/** The test and automation handle the page puts on `window.lmmView`. */
export interface ViewerHandle {
  /** The command shown. */
  cmd(): number;
  /** Shows the state after `cmd` at once (no animation frame); on a served page, as soon as the server has sent it. */
  seek(cmd: number): void;
  /** Shows the state after `cmd` and resolves, once it is drawn, with the milliseconds that took. */
  goto(cmd: number): Promise<number>;
  /** Run `run`'s state dump (SPEC §3) at the command shown, as the page's own fold has it. */
  dump(run?: number): StateDump;
  /** Run `run`'s statistics at the command shown. */
  stats(run?: number): HeapStats;
  /** Run `run`'s facts of the command shown. */
  facts(run?: number): LoggedFact[];
  /** The blocks of run `run` marked as not the same in the other run at the command shown (`page:offset`), sorted. */
  differing(run: number): string[];
  /** Scrolls a block into view and returns its box in client pixels, or null. */
  blockRect(run: number, page: number, offset: number): { x: number; y: number; width: number; height: number } | null;
  /** When the page got how far. */
  readonly timing: Timing;
  /** Folding work done so far per run (restores, facts folded) and checkpoints held. */
  work(): { restores: number; folded: number; checkpoints: number }[];
}

/**
 * The viewer: wires the controls to the runs' panels and draws the state after the chosen
 * command. It starts with the runs' states at the opening command only (drawn before any
 * fact is decoded) and can go anywhere once `attach` has given it the decoded runs. On a
 * served page (`served` given) it is never attached: each command asked for is fetched from
 * the server and drawn when it arrives; while a fetch is under way further requests wait,
 * and only the latest of them is fetched next.
 */
export class ViewerApp {
  private readonly panels: RunPanel[];
  /** The most commands of any run shown. */
  readonly commands: number;
  private current = -1;
  /** The command asked for, to show at the next frame (or once the runs are attached). */
  private pending: number | undefined;
  private follow = false;
  private hashTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly chart: SeriesChart;
  private readonly strip: EventStrip;
  /** A served page's fetch is under way. */
  private fetching = false;
  /** Who waits for a command to be drawn (`goto`). */
  private waiting: { cmd: number; since: number; resolve: (ms: number) => void }[] = [];

  constructor(
    meta: PageMeta,
    openings: readonly OpeningState[],
    private readonly ui: Skeleton,
    /** A served page's server: the states come from there. */
    readonly served?: ServedStates,
  ) {
    this.commands = Math.max(...meta.runs.map((r) => r.commands));
    this.panels = meta.runs.map((run, i) => new RunPanel(ui.panels[i]!, run, openings[i]!, (p, hit, x, y) => this.hover(p, hit, x, y)));
    const seek = (cmd: number): void => this.request(cmd);
    this.chart = new SeriesChart(ui.chart, meta.runs, meta.divergence, seek);
    this.strip = new EventStrip(ui.strip, meta.runs, meta.divergence, seek);
    wireControls(this, ui, meta);
  }

  /** True once every run's facts are decoded. */
  get attached(): boolean {
    return this.panels.every((p) => p.cursor !== undefined);
  }

  /** Gives the panels their decoded runs and shows the command asked for meanwhile. */
  attach(runs: readonly RunFacts[]): void {
    runs.forEach((run, i) => this.panels[i]!.attach(run));
    const c = this.pending ?? this.current;
    this.current = -1;
    this.pending = undefined;
    this.show(c, this.follow);
  }

  /**
   * Asks for command `cmd`; drawn at the next animation frame (rapid requests coalesce).
   * With `follow`, each heap scrolls to the first block the command changed when it is out of view.
   */
  request(cmd: number, follow = false): void {
    const first = this.pending === undefined;
    this.pending = cmd;
    this.follow = follow;
    if (this.served !== undefined) {
      if (!this.fetching) void this.fetchPending();
    } else if (first && this.attached) {
      requestAnimationFrame(() => {
        const c = this.pending;
        this.pending = undefined;
        if (c !== undefined) this.show(c, this.follow);
      });
    }
  }

  /**
   * Folds every run to `cmd` (clamped) and draws it now; before `attach`, waits unless `cmd` is
   * the opening command; on a served page, fetches it first unless its states are at hand.
   */
  show(cmd: number, follow = false): void {
    const c = this.clamp(cmd);
    if (!this.panels.every((p) => p.canShow(c))) {
      if (this.served !== undefined) return this.request(c, follow);
      this.pending = c;
      this.ui.status.textContent = 'loading the facts…';
      return;
    }
    if (c === this.current) return this.settle(c);
    this.current = c;
    for (const p of this.panels) p.moveTo(c);
    const differs = this.panels.length === 2 ? differingBlocks(this.panels[0]!.model, this.panels[1]!.model) : [];
    this.panels.forEach((p, i) => p.draw(c, follow, differs[i]));
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
    this.settle(c);
  }

  /** `cmd` as a command of the page: a whole number in 0…commands. */
  private clamp(cmd: number): number {
    return Math.max(0, Math.min(this.commands, Math.round(Number.isFinite(cmd) ? cmd : 0)));
  }

  /** Shows `cmd` and resolves, once it is drawn, with the milliseconds since the call. */
  goto(cmd: number): Promise<number> {
    const c = this.clamp(cmd);
    const since = performance.now();
    if (c === this.current && this.pending === undefined) return Promise.resolve(0);
    return new Promise((resolve) => {
      this.waiting.push({ cmd: c, since, resolve });
      this.show(c);
    });
  }

  /** Tells those waiting for command `c` that it is drawn. */
  private settle(c: number): void {
    if (this.waiting.length === 0) return;
    const now = performance.now();
    for (const w of this.waiting) if (w.cmd === c) w.resolve(now - w.since);
    this.waiting = this.waiting.filter((w) => w.cmd !== c);
  }

  /**
   * A served page: fetches the states of the command asked for (the latest request), draws
   * it, and goes on while requests came in meanwhile. A failed fetch is shown in the status.
   */
  private async fetchPending(): Promise<void> {
    const served = this.served!;
    this.fetching = true;
    try {
      while (this.pending !== undefined) {
        const c = this.clamp(this.pending);
        const started = performance.now();
        this.ui.status.textContent = `${this.ui.status.dataset.opened ?? ''} · fetching command ${c}…`;
        await Promise.all(this.panels.map(async (p, i) => (p.canShow(c) ? undefined : p.hold(await served.state(i, Math.min(c, p.commands))))));
        if (this.pending === c) this.pending = undefined;
        this.show(c, this.follow);
        this.ui.status.textContent = `${this.ui.status.dataset.opened ?? ''} · command ${c} in ${Math.round(performance.now() - started)} ms`;
      }
    } catch (e) {
      this.pending = undefined;
      this.ui.status.textContent = `lmm view: ${e instanceof Error ? e.message : String(e)}`;
      document.body.dataset.failed = '1';
    } finally {
      this.fetching = false;
    }
  }

  /**
   * A served page: the nearest command after (1) or before (−1) the one being moved to with an
   * event of kind `kind` in any run, asked of the server; undefined when there is none (the
   * status then says how far the server looked).
   */
  async servedEvent(kind: EventKind, dir: 1 | -1): Promise<number | undefined> {
    const from = this.target();
    const answers = await Promise.all(this.panels.map((p, i) => this.served!.event(i, Math.min(from, p.commands), kind, dir)));
    const found = answers.flatMap((a) => (a.cmd === null ? [] : [a.cmd]));
    if (found.length > 0) return dir > 0 ? Math.min(...found) : Math.max(...found);
    const searched = dir > 0 ? Math.min(...answers.map((a) => a.searched)) : Math.max(...answers.map((a) => a.searched));
    const whole = dir > 0 ? answers.every((a, i) => a.searched >= this.panels[i]!.commands) : searched === 0;
    this.ui.status.textContent = `no ${kind === 'any' ? 'event' : kind} ${dir > 0 ? 'after' : 'before'} command ${from}${whole ? '' : ` up to command ${searched} (the search stopped there)`}`;
    return undefined;
  }

  /** The command shown. */
  get cmd(): number {
    return this.current;
  }

  /** The command being moved to: the pending one if a frame has not drawn it yet. */
  target(): number {
    return this.pending ?? this.current;
  }

  /** The decoded runs (none before `attach`). */
  get runs(): RunFacts[] {
    return this.panels.flatMap((p) => (p.run === undefined ? [] : [p.run]));
  }

  /**
   * Lays the runs' checkpoints in slices of a few milliseconds between frames, so that
   * every seek becomes cheap without holding up the first picture; the status shows how far.
   */
  buildInBackground(): void {
    const total = this.panels.reduce((n, p) => n + p.commands, 0);
    const channel = new MessageChannel();
    const slice = (): void => {
      const done = this.panels.every((p) => p.cursor!.buildAhead(10));
      const reached = this.panels.reduce((n, p) => n + p.cursor!.covered, 0);
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

  /** With two runs, marks the statistics that differ. */
  private markDifferences(): void {
    if (this.panels.length < 2) return;
    const [a, b] = this.panels.map((p) => p.statCells());
    a!.forEach((dd, i) => {
      const other = b![i];
      const differs = other !== undefined && other.textContent !== dd.textContent;
      dd.classList.toggle('differs', differs);
      other?.classList.toggle('differs', differs);
    });
  }

  private hover(panel: RunPanel, hit: HeapHit | undefined, x: number, y: number): void {
    const tip = this.ui.tooltip;
    if (hit === undefined) {
      tip.hidden = true;
      return;
    }
    const lines = describeHit(panel.model, hit);
    tip.replaceChildren(...lines.map((l, i) => el('div', { className: i === 0 ? 'tip-head' : 'tip-line', text: l })));
    tip.hidden = false;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    tip.style.left = `${Math.min(x + 14, window.innerWidth - w - 6)}px`;
    tip.style.top = `${y + 16 + h > window.innerHeight ? y - h - 8 : y + 16}px`;
  }

  /** The handle for tests and automation. */
  handle(timing: Timing): ViewerHandle {
    const panel = (i = 0): RunPanel => {
      const p = this.panels[i];
      if (p === undefined) throw new Error(`no run ${i}`);
      return p;
    };
    return {
      cmd: () => this.current,
      seek: (c) => this.show(c),
      goto: (c) => this.goto(c),
      dump: (i) => panel(i).model.dump(),
      stats: (i) => modelStats(panel(i).model),
      facts: (i) => [...panel(i).facts],
      differing: (i) => [...panel(i).differs].sort(),
      blockRect: (i, page, offset) => panel(i).view.blockRect(page, offset),
      timing,
      work: () => this.panels.map((p) => ({ restores: p.cursor?.work.restores ?? 0, folded: p.cursor?.work.folded ?? 0, checkpoints: p.cursor?.checkpointCount ?? 0 })),
    };
  }
}
