/**
 * The viewer page's entry point (bundled into the page by esbuild). It draws each run's
 * state at the opening command first (the first run's peak heap, from the small
 * opening-state part, no fact decoded), then unzips and decodes the facts, after which any
 * command can be shown, and lays checkpoints in the background. It starts at the command in
 * the URL's hash (default: the opening one) and exposes `window.lmmView` for tests and
 * automation.
 */
import { decodeRun } from '../model/decodeRun.js';
import { decodeOpeningState } from '../model/openingState.js';
import { META_ID, openingStateId, payloadId, type PageMeta } from '../model/pageMeta.js';
import { ViewerApp, type ViewerHandle } from './app.js';
import { byId } from './dom.js';
import { buildSkeleton } from './layout.js';
import { readPayload } from './payload.js';

declare global {
  interface Window {
    lmmView?: ViewerHandle;
  }
}

/** Resolves after the browser has had a chance to paint. */
const painted = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function start(): Promise<void> {
  const started = performance.now();
  const meta = JSON.parse(byId(META_ID).textContent ?? '') as PageMeta;
  document.title = `lmm view · ${meta.runs.map((r) => r.name).join(' vs ')}`;
  const ui = buildSkeleton(meta);
  const openings = await Promise.all(meta.runs.map(async (r, i) => decodeOpeningState(await readPayload(openingStateId(i)), r.header.layout)));
  const app = new ViewerApp(meta, openings, ui);
  const fromHash = /^#(\d+)$/.exec(location.hash);
  app.show(fromHash ? Number(fromHash[1]) : meta.opening);
  const firstRender = performance.now();
  ui.status.dataset.opened = `opened in ${Math.round(firstRender)} ms`;
  ui.status.textContent = `${ui.status.dataset.opened} · loading the facts…`;
  document.body.dataset.shown = '1';
  await painted();
  const firstPaint = performance.now();
  const payloads = await Promise.all(meta.runs.map((_, i) => readPayload(payloadId(i))));
  const unzipped = performance.now();
  const runs = payloads.map((p) => decodeRun(p));
  const decoded = performance.now();
  app.attach(runs);
  ui.status.title = `first picture ${Math.round(firstRender)} ms after navigation start; facts unzipped at ${Math.round(unzipped)} ms, decoded at ${Math.round(decoded)} ms`;
  window.lmmView = app.handle({ started, firstRender, firstPaint, unzipped, decoded });
  document.body.dataset.ready = '1';
  app.buildInBackground();
}

start().catch((e: unknown) => {
  const msg = document.createElement('pre');
  msg.className = 'fatal';
  msg.textContent = `lmm view: could not open this page: ${e instanceof Error ? e.message : String(e)}`;
  document.body.append(msg);
  document.body.dataset.ready = 'error';
  throw e;
});
