/**
 * The viewer page's entry point (bundled into the page by esbuild). It draws each run's
 * state at the opening command first (the first run's peak heap, from the small
 * opening-state part, no fact decoded), then unzips and decodes the facts, after which any
 * command can be shown, and lays checkpoints in the background. A served page (`lmm view
 * --serve`) has no facts: it fetches the state of each command it shows from its server. It
 * starts at the command in the URL's hash (default: the opening one) and exposes
 * `window.lmmView` for tests and automation.
 */
import { decodeRun } from '../model/decodeRun.js';
import { decodeOpeningState } from '../model/openingState.js';
import { META_ID, openingStateId, payloadId, type PageMeta } from '../model/pageMeta.js';
import { ViewerApp, type ViewerHandle } from './app.js';
import { byId } from './dom.js';
import { buildSkeleton, type Skeleton } from './layout.js';
import { readPayload } from './payload.js';
import { ServedStates } from './servedStates.js';

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
  if (meta.served === true) return startServed(meta, ui, started);
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

/** A served page: the runs' states at the first command shown come from the server, as every other state will. */
async function startServed(meta: PageMeta, ui: Skeleton, started: number): Promise<void> {
  const served = new ServedStates(meta);
  const fromHash = /^#(\d+)$/.exec(location.hash);
  const commands = Math.max(...meta.runs.map((r) => r.commands));
  const first = Math.min(commands, fromHash ? Number(fromHash[1]) : meta.opening);
  const openings = await Promise.all(meta.runs.map((r, i) => served.state(i, Math.min(first, r.commands))));
  const app = new ViewerApp(meta, openings, ui, served);
  app.show(first);
  const firstRender = performance.now();
  ui.status.dataset.opened = `served · opened in ${Math.round(firstRender)} ms`;
  ui.status.textContent = ui.status.dataset.opened;
  document.body.dataset.shown = '1';
  await painted();
  const firstPaint = performance.now();
  window.lmmView = app.handle({ started, firstRender, firstPaint, unzipped: firstRender, decoded: firstRender });
  document.body.dataset.ready = '1';
}

start().catch((e: unknown) => {
  const msg = document.createElement('pre');
  msg.className = 'fatal';
  msg.textContent = `lmm view: could not open this page: ${e instanceof Error ? e.message : String(e)}`;
  document.body.append(msg);
  document.body.dataset.ready = 'error';
  throw e;
});
