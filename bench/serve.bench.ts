// `pnpm bench serve`: `lmm view --serve` on a big fact log (LMM_BENCH_SERVE_COMMANDS, default
// 10M, about 1.8 GB): how long the log takes to open for serving — the first time, when its
// index is built, and again with the index there — and what the process holds then, and how
// long the served page in headless Chromium takes to show a command after a seek (the
// handle's `goto`: request, the server's state, decode, draw), over random commands. One
// markdown table.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildServedPage, openRunSource, ViewServer } from '@lmm/viewer';
import type { ViewerHandle } from '../packages/viewer/src/page/app.js';
import { CHROMIUM, launch } from '../packages/viewer/test/chromium.js';
import { writeFactLog } from './genTrace.js';
import { median, pct } from './percentiles.js';

const COMMANDS = Number(process.env.LMM_BENCH_SERVE_COMMANDS ?? 10_000_000);
const LIVE = 5000;
const SEEKS = 60;

/** The page's globals as this script (compiled without the DOM library) sees them. */
interface PageGlobals {
  readonly document: { readonly body: { readonly dataset: Record<string, string | undefined> } };
  readonly lmmView: ViewerHandle;
}

const ms = (x: number): string => `${x.toFixed(0)} ms`;
const mb = (x: number): string => `${(x / 2 ** 20).toFixed(0)} MiB`;

if (!existsSync(CHROMIUM)) {
  console.log(`${CHROMIUM} is missing (apt-get install -y chromium); no serve benchmark.`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'lmm-bench-serve-'));
try {
  const log = join(dir, 'run.jsonl');
  let t0 = performance.now();
  const { facts } = await writeFactLog(log, COMMANDS, LIVE, 'worst-fit');
  const writeMs = performance.now() - t0;

  // What `lmm view --serve` does before it prints its address: the first time the index is built.
  t0 = performance.now();
  await (await openRunSource(log, { displayName: 'run.jsonl' })).close();
  const buildMs = performance.now() - t0;
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  t0 = performance.now();
  const source = await openRunSource(log, { displayName: 'run.jsonl' });
  const openMs = performance.now() - t0;
  t0 = performance.now();
  const { html } = await buildServedPage([source]);
  const pageMs = performance.now() - t0;
  globalThis.gc?.();
  const rssOpen = process.memoryUsage().rss;
  const server = await ViewServer.start([source], html);

  const browser = await launch();
  const context = browser.context;
  const tab = await context.newPage();
  const errors: string[] = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  t0 = performance.now();
  await tab.goto(server.url);
  await tab.waitForFunction(() => (globalThis as unknown as PageGlobals).document.body.dataset.ready !== undefined, null, { timeout: 120_000, polling: 10 });
  const readyMs = performance.now() - t0;
  // Random seeks, one after another, each timed in the page from the seek to its state drawn.
  const seeks: number[] = [];
  let x = 12345;
  for (let k = 0; k < SEEKS; k++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const target = Math.floor((x / 2147483648) * (COMMANDS + 1));
    seeks.push(await tab.evaluate((c) => (globalThis as unknown as PageGlobals).lmmView.goto(c), target));
  }
  // A step forward from where the last seek landed (the server folds on from there).
  const steps: number[] = [];
  for (let k = 0; k < SEEKS; k++) steps.push(await tab.evaluate(() => (globalThis as unknown as PageGlobals).lmmView.goto((globalThis as unknown as PageGlobals).lmmView.cmd() + 1)));
  const rssServed = process.memoryUsage().rss;
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  await browser.close();
  await server.close();

  console.log(`${COMMANDS.toLocaleString('en')} commands (bench/genTrace, ${LIVE} live), ${facts.toLocaleString('en')} facts, log ${(statSync(log).size / 1e6).toFixed(0)} MB (written in ${ms(writeMs)}); Chromium headless, ${SEEKS} random seeks\n`);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| open the log for serving, first time: index built (openRunSource) | ${ms(buildMs)} |`);
  console.log(`| open it again, index there | ${ms(openMs)} |`);
  console.log(`| build the served page (series, ${(html.length / 1e3).toFixed(0)} kB) | ${ms(pageMs)} |`);
  console.log(`| RSS of the server: before opening / opened / after the seeks | ${mb(rss0)} / ${mb(rssOpen)} / ${mb(rssServed)} |`);
  console.log(`| page ready: first command drawn (wall clock incl. Playwright) | ${ms(readyMs)} |`);
  console.log(`| seek → command shown (median / p95 / max) | ${ms(median(seeks))} / ${ms(pct(seeks, 0.95))} / ${ms(Math.max(...seeks))} |`);
  console.log(`| step +1 → command shown (median / p95) | ${ms(median(steps))} / ${ms(pct(steps, 0.95))} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
