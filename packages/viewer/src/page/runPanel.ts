import type { LoggedFact } from '@lmm/core';
import { previewRun, type OpeningState } from '../model/openingState.js';
import { factAt } from '../model/factAt.js';
import { HeapModel } from '../model/heapModel.js';
import { modelStats } from '../model/modelStats.js';
import type { RunMeta } from '../model/pageMeta.js';
import { RunCursor } from '../model/runCursor.js';
import type { RunFacts } from '../model/runFacts.js';
import { describeFact } from './describeFact.js';
import { el, setText } from './dom.js';
import { bytes, int, percent } from './format.js';
import { NO_BLOCKS } from './blockDiff.js';
import { blockKey, HeapView, type HeapHit } from './heapView.js';
import type { PanelElements } from './layout.js';

const MAX_LISTED_FACTS = 40;
/** States a served panel keeps fetched (the ones asked for most recently). */
const HELD_STATES = 16;

/**
 * One run's column: its statistics, the facts of the command shown, and its heap. Until the
 * run's facts are decoded it can show only its state at the opening command (the
 * OpeningState made when the page was written); `attach` gives it the decoded run and a
 * cursor to go anywhere. A served page's panel is never attached: it shows the states its
 * server sent (`hold`), each restored into a model of its own.
 */
export class RunPanel {
  readonly view: HeapView;
  /** The model shown: the opening state's (or a served one's) until `attach`, then the cursor's. */
  model: HeapModel;
  /** The decoded run and its cursor, once attached. */
  run: RunFacts | undefined;
  cursor: RunCursor | undefined;
  /** The facts of the command shown. */
  facts: readonly LoggedFact[] = [];
  /** The blocks marked as not the same in the other run (`page:offset` keys). */
  differs: ReadonlySet<string> = NO_BLOCKS;
  /** States fetched from the server, by command, oldest first. */
  private readonly held = new Map<number, OpeningState>();
  /** The state the model was restored from (served, or before `attach`). */
  private restored: OpeningState;

  constructor(
    private readonly els: PanelElements,
    readonly meta: RunMeta,
    private readonly opening: OpeningState,
    onHover: (panel: RunPanel, hit: HeapHit | undefined, x: number, y: number) => void,
  ) {
    this.restored = opening;
    this.model = modelOf(meta, opening);
    this.view = new HeapView(els.heap, this.model, (hit, x, y) => onHover(this, hit, x, y));
  }

  /** The run's commands. */
  get commands(): number {
    return this.meta.commands;
  }

  /** True when the panel can show command `c` now (any, once attached; before, the opening command and the states held). */
  canShow(c: number): boolean {
    const shown = Math.min(c, this.commands);
    return this.cursor !== undefined || shown === this.opening.cmd || this.held.has(shown);
  }

  /** Keeps a state the server sent, to show when its command is asked for. */
  hold(state: OpeningState): void {
    this.held.delete(state.cmd);
    this.held.set(state.cmd, state);
    if (this.held.size > HELD_STATES) this.held.delete(this.held.keys().next().value!);
  }

  /** Takes the decoded run: from now on any command can be shown. */
  attach(run: RunFacts): void {
    const cursor = new RunCursor(run);
    cursor.pin(this.opening.cmd, this.opening.snapshot);
    cursor.seek(this.opening.cmd);
    this.run = run;
    this.cursor = cursor;
    this.model = cursor.model;
    this.view.setModel(cursor.model);
  }

  /** Puts the model at the state after command `c` (its last, past the run's end) and takes that command's facts; draws nothing. */
  moveTo(c: number): void {
    const shown = Math.min(c, this.commands);
    if (this.cursor !== undefined && this.run !== undefined) {
      this.cursor.seek(shown);
      const from = c >= 1 && c <= this.run.commands ? this.run.firstFact[c]! : 0;
      const to = c >= 1 && c <= this.run.commands ? this.run.firstFact[c + 1]! : 0;
      this.facts = Array.from({ length: to - from }, (_, k) => factAt(this.run!, from + k));
    } else {
      const state = shown === this.opening.cmd ? this.opening : this.held.get(shown);
      if (state === undefined) throw new RangeError(`command ${shown} is not fetched yet`);
      if (state !== this.restored) {
        this.restored = state;
        this.model = modelOf(this.meta, state);
        this.view.setModel(this.model);
      }
      this.facts = c === state.cmd ? state.facts : [];
    }
  }

  /** Draws the state `moveTo` reached: the heap (with `differs` marked), the statistics, the facts; with `follow`, scrolls to what changed. */
  draw(c: number, follow: boolean, differs: ReadonlySet<string> = NO_BLOCKS): void {
    const { keys, first } = touched(this.facts, this.meta.header.layout.metaSize);
    this.view.render(keys, differs);
    this.differs = differs;
    if (follow && first !== undefined) this.view.reveal(first.page, first.off);
    this.text(c);
  }

  private text(c: number): void {
    const n = this.commands;
    const { peakHeap, peakLive } = this.meta.series;
    const marks = [c === peakHeap.cmd && peakHeap.bytes > 0 ? 'peak heap' : '', c === peakLive.cmd && peakLive.bytes > 0 ? 'peak live' : '', c === n ? 'the end' : ''].filter((m) => m !== '');
    if (this.differs.size > 0) marks.push(`${int(this.differs.size)} block${this.differs.size === 1 ? '' : 's'} not as in the other run`);
    const note = marks.length > 0 ? ` · ${marks.join(', ')}` : '';
    setText(this.els.position, c > n ? `after command ${int(n)} (the run's last) of ${int(n)}` : `after command ${int(c)} of ${int(n)}${note}`);
    const s = modelStats(this.model).total;
    const rows: [string, string][] = [
      ['pages', `${int(s.pages)} · ${bytes(s.heapBytes)}`],
      ['live', `${bytes(s.liveBytes)} in ${int(s.obc)} blocks`],
      ['free', `${bytes(s.freeBytes)} in ${int(s.fbc)} blocks`],
      ['largest free', bytes(s.largestFree)],
      ['hard frag', bytes(s.hardFragBytes)],
      ['soft frag', bytes(s.softFragBytes)],
      ['external frag', percent(s.externalFrag)],
      ['utilization', `${percent(s.utilization)} (peak ${percent(this.meta.series.peakUtilization)})`],
      ['page requests', `${int(s.pageRequests)} (${int(s.avoidableGrowth)} avoidable growth)`],
    ];
    const dl = this.els.stats;
    if (dl.childElementCount !== rows.length * 2) {
      dl.replaceChildren(...rows.flatMap(([k]) => [el('dt', { text: k }), el('dd', { attrs: { 'data-key': k } })]));
    }
    rows.forEach(([, v], i) => setText(dl.children[i * 2 + 1]!, v));
    const count = this.facts.length;
    setText(this.els.factsTitle, c === 0 ? 'the empty heap before command 1' : c > n ? `no command ${int(c)} in this run` : `command ${int(c)}: ${count} fact${count === 1 ? '' : 's'}`);
    const items = this.facts
      .slice(0, MAX_LISTED_FACTS)
      // The space between type and text is a character, so copied or read out the line says `PageRequest b_t`.
      .map((f) => el('li', { className: `fact ${f.type}` }, el('span', { className: 'ftype', text: f.type }), document.createTextNode(' '), el('span', { className: 'ftext', text: describeFact(f) })));
    if (count > MAX_LISTED_FACTS) items.push(el('li', { className: 'fact more', text: `… ${int(count - MAX_LISTED_FACTS)} more` }));
    this.els.facts.replaceChildren(...items);
  }

  /** The values of the statistics shown, in order (to compare two panels). */
  statCells(): HTMLElement[] {
    return [...this.els.stats.querySelectorAll('dd')];
  }
}

/** A model of a run that has no facts decoded, standing at `state`. */
function modelOf(meta: RunMeta, state: OpeningState): HeapModel {
  const model = new HeapModel(previewRun(meta, state), state.cmd);
  model.restore(state.snapshot);
  return model;
}

/** The blocks some facts changed (as `page:offset` keys), and the first of them. */
function touched(facts: readonly LoggedFact[], metaSize: number): { keys: Set<string>; first: { page: number; off: number } | undefined } {
  const keys = new Set<string>();
  let first: { page: number; off: number } | undefined;
  for (const f of facts) {
    if (f.type === 'Allocated') {
      first ??= { page: f.page, off: f.offset };
      keys.add(blockKey(f.page, f.offset));
      keys.add(blockKey(f.page, f.offset + metaSize + f.size));
    } else if (f.type === 'Freed') {
      first ??= { page: f.page, off: f.merged.offset };
      keys.add(blockKey(f.page, f.merged.offset));
    }
  }
  return { keys, first };
}
