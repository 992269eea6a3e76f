// `pnpm bench viewer`: `lmm view` on a 1M-command fact log: how long the page takes to
// build, how big it is, how long headless Chromium takes to open it from disk (navigation
// to the last state drawn, and to every command reachable), and how long a scrub step takes
// once open (fold from the nearest checkpoint + draw), measured inside the page. One markdown
// table.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildViewerPage, loadRun } from '@lmm/viewer';
import type { ViewerHandle } from '../packages/viewer/src/page/app.js';
import { CHROMIUM, launch } from '../packages/viewer/test/chromium.js';
import { writeFactLog } from './genTrace.js';
import { median, pct } from './percentiles.js';

const COMMANDS = Number(process.env.LMM_BENCH_VIEWER_COMMANDS ?? 1_000_000);
const LIVE = 5000;
const OPENS = 5;
const SEEKS = 200;

/** The page's globals as this script (compiled without the DOM library) sees them. */
interface PageGlobals {
  readonly document: { readonly body: { readonly dataset: Record<string, string | undefined> } };
  readonly lmmView: ViewerHandle;
}

const ms = (x: number): string => `${x.toFixed(0)} ms`;

if (!existsSync(CHROMIUM)) {
  console.log(`${CHROMIUM} is missing (apt-get install -y chromium); no viewer benchmark.`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'lmm-bench-viewer-'));
try {
  // A fact log of COMMANDS commands, written as `lmm run --facts` writes it.
  const log = join(dir, 'run.jsonl');
  await writeFactLog(log, COMMANDS, LIVE, 'worst-fit');

  // What `lmm view` does: read and check the log, build the page.
  let t0 = performance.now();
  const run = await loadRun(log, { displayName: 'run.jsonl' });
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  const html = await buildViewerPage([run]);
  const buildMs = performance.now() - t0;
  const page = join(dir, 'view.html');
  writeFileSync(page, html);

  const opens: { wallReady: number; started: number; unzipped: number; decoded: number; firstRender: number; firstPaint: number }[] = [];
  let seeks: number[] = [];
  let steps: number[] = [];
  let heapMB = 0;
  let indexMs = 0;
  for (let i = 0; i < OPENS; i++) {
    const browser = await launch();
    const context = browser.context;
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    const start = performance.now();
    await tab.goto(`file://${page}`);
    await tab.waitForFunction(() => (globalThis as unknown as PageGlobals).document.body.dataset.ready !== undefined, null, { timeout: 120_000, polling: 10 });
    const wallReady = performance.now() - start;
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    const timing = await tab.evaluate(() => (globalThis as unknown as PageGlobals).lmmView.timing);
    opens.push({ wallReady, ...timing });
    if (i === 0) {
      const t = performance.now();
      await tab.waitForFunction(() => (globalThis as unknown as PageGlobals).document.body.dataset.indexed !== undefined, null, { timeout: 120_000 });
      indexMs = performance.now() - t;
      // Scrubbing, once the checkpoints are laid: random jumps, then single steps, each a synchronous fold + draw inside the page.
      const r = await tab.evaluate(
        ([n, count]) => {
          const v = (globalThis as unknown as PageGlobals).lmmView;
          let x = 12345;
          const jumps: number[] = [];
          for (let k = 0; k < count; k++) {
            x = (x * 1103515245 + 12345) % 2147483648; // no helper functions here: the callback runs as source in the page
            const target = Math.floor((x / 2147483648) * n);
            const t = performance.now();
            v.seek(target);
            jumps.push(performance.now() - t);
          }
          const steps: number[] = [];
          for (let k = 0; k < count; k++) {
            const t = performance.now();
            v.seek(v.cmd() + (k % 2 === 0 ? 1 : -1) * (k % 3 === 0 ? 1 : 2));
            steps.push(performance.now() - t);
          }
          const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
          return { jumps, steps, heap: mem ? mem.usedJSHeapSize / 1e6 : 0 };
        },
        [COMMANDS, SEEKS] as const,
      );
      seeks = r.jumps;
      steps = r.steps;
      heapMB = r.heap;
    }
    await browser.close();
  }

  const size = statSync(page).size;
  console.log(`${COMMANDS.toLocaleString('en')} commands (bench/genTrace, ${LIVE} live), ${run.facts.toLocaleString('en')} facts, log ${(statSync(log).size / 1e6).toFixed(0)} MB; Chromium headless, ${OPENS} opens from disk, ${SEEKS} seeks\n`);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| lmm view: read + check the log | ${ms(loadMs)} |`);
  console.log(`| lmm view: build the page | ${ms(buildMs)} |`);
  console.log(`| page size | ${(size / 1e6).toFixed(2)} MB |`);
  console.log(`| page script started (median, page clock from navigation start) | ${ms(median(opens.map((o) => o.started)))} |`);
  console.log(`| last state drawn (median, page clock) | ${ms(median(opens.map((o) => o.firstRender)))} |`);
  console.log(`| last state on screen: next frame (median, page clock) | ${ms(median(opens.map((o) => o.firstPaint)))} |`);
  console.log(`| facts unzipped (median, page clock) | ${ms(median(opens.map((o) => o.unzipped)))} |`);
  console.log(`| facts decoded: any command can be shown (median, page clock) | ${ms(median(opens.map((o) => o.decoded)))} |`);
  console.log(`| goto → every command reachable (median, wall clock incl. Playwright) | ${ms(median(opens.map((o) => o.wallReady)))} |`);
  console.log(`| checkpoints laid in the background, after that | ${ms(indexMs)} |`);
  console.log(`| random seek, fold + draw (median / p95 / max) | ${ms(median(seeks))} / ${ms(pct(seeks, 0.95))} / ${ms(Math.max(...seeks))} |`);
  console.log(`| step ±1–2 commands (median / p95) | ${ms(median(steps))} / ${ms(pct(steps, 0.95))} |`);
  console.log(`| JS heap after scrubbing | ${heapMB.toFixed(0)} MB |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
