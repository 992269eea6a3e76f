/**
 * The viewer page's entry point (bundled into the page by esbuild): reads the JSON island
 * and the runs' payloads, decodes them, and starts the viewer at the command in the URL's
 * hash (default: the last). Exposes `window.lmmView` for tests and automation.
 */
import { decodeRun } from '../decodeRun';
import { endStateId, META_ID, payloadId, type PageMeta } from '../pageMeta';
import { decodeSnapshot } from '../snapshotCodec';
import { ViewerApp, type ViewerHandle } from './app';
import { byId } from './dom';
import { buildSkeleton } from './layout';
import { readPayload } from './payload';

declare global {
  interface Window {
    lmmView?: ViewerHandle;
  }
}

async function start(): Promise<void> {
  const meta = JSON.parse(byId(META_ID).textContent ?? '') as PageMeta;
  document.title = `lmm view · ${meta.runs.map((r) => r.name).join(' vs ')}`;
  const ui = buildSkeleton(meta);
  const started = performance.now();
  const payloads = await Promise.all(meta.runs.map((_, i) => readPayload(payloadId(i))));
  const ends = await Promise.all(meta.runs.map((_, i) => readPayload(endStateId(i))));
  const unzipped = performance.now();
  const runs = payloads.map((p) => decodeRun(p));
  const decoded = performance.now();
  const app = new ViewerApp(meta, runs, ui);
  runs.forEach((run, i) => app.pin(i, run.commands, decodeSnapshot(ends[i]!, run.header.layout)));
  const fromHash = /^#(\d+)$/.exec(location.hash);
  const commands = Math.max(...runs.map((r) => r.commands));
  app.show(fromHash ? Number(fromHash[1]) : commands);
  const timing = { started, unzipped, decoded, firstRender: performance.now() };
  ui.status.dataset.opened = `opened in ${Math.round(timing.firstRender)} ms`;
  ui.status.textContent = ui.status.dataset.opened;
  ui.status.title = `decoded in ${Math.round(decoded)} ms after navigation start; first state drawn at ${Math.round(timing.firstRender)} ms`;
  window.lmmView = app.handle(timing);
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
