import { KIND } from '../model/runFacts.js';
import { isEventKind } from '../model/servedApi.js';
import type { PageMeta } from '../model/pageMeta.js';
import type { ViewerApp } from './app.js';
import type { Skeleton } from './layout.js';

/** The command of the nearest avoidable growth after (dir 1) or before (dir −1) the current one, or undefined. */
function findAvoidable(app: ViewerApp, meta: PageMeta, dir: 1 | -1): number | undefined {
  let best: number | undefined;
  for (const run of meta.runs) {
    const at = run.series.avoidableAt ?? [];
    const c = dir > 0 ? at.find((x) => x > app.cmd) : [...at].reverse().find((x) => x < app.cmd);
    if (c !== undefined) best = dir > 0 ? Math.min(best ?? Infinity, c) : Math.max(best ?? -Infinity, c);
  }
  return best;
}

/** The command of the nearest matching event after (dir 1) or before (dir −1) the current one, or undefined. */
function findEvent(app: ViewerApp, want: string, dir: 1 | -1, meta?: PageMeta): number | undefined {
  if (want === 'Avoidable') return meta === undefined ? undefined : findAvoidable(app, meta, dir);
  const match = (k: number): boolean =>
    want === 'any' ? k === KIND.PageRequest || k === KIND.PageRelease || k === KIND.Rejected : k === KIND[want as 'PageRequest' | 'PageRelease' | 'Rejected'];
  let best: number | undefined;
  for (const run of app.runs) {
    const c = Math.min(app.cmd, run.commands);
    if (dir > 0) {
      for (let i = run.firstFact[c + 1]!; i < run.count; i++) {
        if (match(run.kind[i]! & 7)) {
          best = Math.min(best ?? Infinity, run.cmd[i]!);
          break;
        }
      }
    } else {
      for (let i = (c >= 1 ? run.firstFact[c]! : 0) - 1; i >= 0; i--) {
        if (match(run.kind[i]! & 7)) {
          best = Math.max(best ?? -Infinity, run.cmd[i]!);
          break;
        }
      }
    }
  }
  return best;
}

/** Wires the buttons, the slider, the command box and the keyboard to the viewer. */
export function wireControls(app: ViewerApp, ui: Skeleton, meta: PageMeta): void {
  // Steps and jumps follow the change into view; dragging the slider or the chart does not.
  const go = (c: number | undefined): void => {
    if (c !== undefined) app.request(c, true);
  };
  const drag = (c: number): void => app.request(c);
  ui.first.addEventListener('click', () => go(0));
  ui.back.addEventListener('click', () => go(app.target() - 1));
  ui.forward.addEventListener('click', () => go(app.target() + 1));
  ui.last.addEventListener('click', () => go(app.commands));
  // A served page has no facts at hand: its server looks for the events (avoidable growth is in the page's series).
  const jump = (dir: 1 | -1): void => {
    const kind = ui.eventKind.value;
    if (app.served !== undefined && isEventKind(kind)) void app.servedEvent(kind, dir).then(go);
    else go(findEvent(app, kind, dir, meta));
  };
  ui.prevEvent.addEventListener('click', () => jump(-1));
  ui.nextEvent.addEventListener('click', () => jump(1));
  ui.peak.addEventListener('click', () => go(meta.runs[0]!.series.peakHeap.cmd));
  ui.peakLive.addEventListener('click', () => go(meta.runs[0]!.series.peakLive.cmd));
  ui.divergence?.addEventListener('click', () => go(meta.divergence?.cmd));
  if (ui.divergence && meta.divergence === null) {
    ui.divergence.disabled = true;
    ui.divergence.textContent = 'no divergence';
  }
  ui.slider.addEventListener('input', () => drag(Number(ui.slider.value)));
  ui.cmdInput.addEventListener('change', () => go(Number(ui.cmdInput.value)));
  ui.cmdInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      go(Number(ui.cmdInput.value));
      ui.cmdInput.blur();
    }
  });
  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (t instanceof HTMLInputElement && t.type === 'number') return;
    if (t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement || e.ctrlKey || e.metaKey || e.altKey) return;
    const big = Math.max(1, Math.round(app.commands / 20));
    const step: Record<string, number | undefined> = {
      ArrowLeft: e.shiftKey ? -100 : -1,
      ArrowRight: e.shiftKey ? 100 : 1,
      PageUp: -big,
      PageDown: big,
    };
    const d = step[e.key];
    if (d !== undefined) go(app.target() + d);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(app.commands);
    else if (e.key === '[') jump(-1);
    else if (e.key === ']') jump(1);
    else if (e.key === 'p') go(meta.runs[0]!.series.peakHeap.cmd);
    else if (e.key === 'l') go(meta.runs[0]!.series.peakLive.cmd);
    else if (e.key === 'd' && meta.divergence) go(meta.divergence.cmd);
    else return;
    e.preventDefault();
  });
}
