// Replay on a generated 1M-command trace (seeded, deterministic; LMM_BENCH_COMMANDS and
// LMM_BENCH_LIVE change its size): load time and memory of a ReplayLog (facts, per-command
// series, checkpoints), seek latency to random commands and stepping forward, and the cost
// of diffStates between two ~100k-block states that share structure and that do not.
// Run with --expose-gc (bench/run.ts does). Prints markdown tables.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeapState } from '@lmm/core';
import { diffStates, foldLog, ReplayLog, type LoadReplayOptions } from '@lmm/replay';
import { writeFactLog } from './genTrace.js';
import { xorshift } from '@lmm/testkit';

const COMMANDS = Number(process.env.LMM_BENCH_COMMANDS ?? 1_000_000);
const LIVE = Number(process.env.LMM_BENCH_LIVE ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc (pnpm bench does)');

function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;

function quantiles(xs: number[]): { median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.floor(s.length * 0.95)]!, max: s[s.length - 1]! };
}

const dir = mkdtempSync(join(tmpdir(), 'lmm-replay-bench-'));
try {
  const logPath = join(dir, 'worst.jsonl');
  const t0 = performance.now();
  const { facts } = await writeFactLog(logPath, COMMANDS, LIVE, 'worst-fit');
  const writeMs = performance.now() - t0;
  const bytes = statSync(logPath).size;
  console.log(`Trace: ${COMMANDS.toLocaleString('en')} commands holding up to ${LIVE.toLocaleString('en')} live blocks (bench/genTrace.ts, seed 42), worst fit, seed layout.`);
  console.log(`Fact log: ${facts.toLocaleString('en')} facts, ${mb(bytes)} (written in ${ms(writeMs)}).\n`);

  // Load: once with a single checkpoint (facts and series only), then with the defaults; the
  // difference in heap is what the checkpoints cost.
  const load = async (options: LoadReplayOptions) => {
    const before = heapUsed();
    const ab0 = process.memoryUsage().arrayBuffers;
    const t = performance.now();
    const log = await ReplayLog.load(logPath, options);
    const loadMs = performance.now() - t;
    return { log, loadMs, heap: heapUsed() - before, arrayBuffers: process.memoryUsage().arrayBuffers - ab0 };
  };
  const bare = await load({ checkpointEvery: 2 ** 30 });
  const bareHeap = bare.heap;
  const bareMem = bare.log.memory();
  bare.log.seek(0);
  const main = await load({});
  const mem = main.log.memory();
  const rows = [
    '| load | time | checkpoints | heap used | typed arrays (facts + series) |',
    '|---|---:|---:|---:|---:|',
    `| one checkpoint (state 0 only) | ${ms(bare.loadMs)} | 1 | ${mb(bareHeap)} | ${mb(bareMem.factBytes + bareMem.seriesBytes)} |`,
    `| default (every ${mem.checkpointEvery}, at most 256) | ${ms(main.loadMs)} | ${mem.checkpoints} | ${mb(main.heap)} | ${mb(mem.factBytes + mem.seriesBytes)} |`,
  ];
  console.log(rows.join('\n'));
  console.log(`\nCheckpoint memory ≈ ${mb(main.heap - bareHeap)} for ${mem.checkpoints} checkpoints (${mb((main.heap - bareHeap) / mem.checkpoints)} each); facts ${mb(mem.factBytes)} (${(mem.factBytes / facts).toFixed(1)} B/fact), series ${mb(mem.seriesBytes)}.\n`);

  // Seeks: random targets, then stepping forward one command at a time from random points.
  const log = main.log;
  const rnd = xorshift(7);
  const randomTimes: number[] = [];
  const randomCpu: number[] = [];
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  for (let i = 0; i < 300; i++) {
    const c = Math.floor(rnd() * (log.commands + 1));
    const c0 = process.cpuUsage();
    const t = performance.now();
    log.seek(c);
    randomTimes.push(performance.now() - t);
    randomCpu.push(cpuMs(process.cpuUsage(c0)));
  }
  const stepTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    let c = Math.floor(rnd() * (log.commands - 100));
    log.seek(c);
    for (let k = 0; k < 50; k++) {
      const t = performance.now();
      log.seek(++c);
      stepTimes.push(performance.now() - t);
    }
  }
  const r = quantiles(randomTimes);
  const rc = quantiles(randomCpu);
  const s = quantiles(stepTimes);
  console.log(
    [
      '| seek | n | median | p95 | max |',
      '|---|---:|---:|---:|---:|',
      `| random command (wall) | ${randomTimes.length} | ${ms(r.median)} | ${ms(r.p95)} | ${ms(r.max)} |`,
      `| random command (CPU time, GC included) | ${randomCpu.length} | ${ms(rc.median)} | ${ms(rc.p95)} | ${ms(rc.max)} |`,
      `| next command after a seek (wall) | ${stepTimes.length} | ${ms(s.median)} | ${ms(s.p95)} | ${ms(s.max)} |`,
    ].join('\n'),
  );

  // Diffs between big states: the end of the run against a few commands earlier (shared
  // structure), against the same state folded again from the file (equal, nothing shared),
  // and against the end of a best-fit run of the same trace (different, nothing shared).
  const end: HeapState = log.seek(log.commands);
  const timeDiff = (a: HeapState, b: HeapState) => {
    let best = Infinity;
    let changes = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      changes = diffStates(a, b).length;
      best = Math.min(best, performance.now() - t);
    }
    return { best, changes };
  };
  const rebuilt = (await foldLog(logPath)).state;
  const bestPath = join(dir, 'best.jsonl');
  await writeFactLog(bestPath, COMMANDS, LIVE, 'best-fit');
  const bestEnd = (await foldLog(bestPath)).state;
  const blocks = (st: HeapState) => [...st.families.values()].reduce((n, f) => n + f.blockCount, 0);
  const diffRows = ['| diffStates(a, b) | blocks (a / b) | changes | time (best of 5) |', '|---|---:|---:|---:|'];
  for (const back of [1, 10, 1000]) {
    // Seeking the earlier state first and then moving forward shares every node the commands
    // in between did not touch; two seeks from one checkpoint share only the checkpoint's.
    const early = log.seek(log.commands - back);
    const late = log.seek(log.commands);
    const d = timeDiff(early, late);
    diffRows.push(`| end − ${back} vs end, seeking forward (shared) | ${blocks(early).toLocaleString('en')} / ${blocks(late).toLocaleString('en')} | ${d.changes} | ${ms(d.best)} |`);
    const apart = timeDiff(log.seek(log.commands - back), end);
    diffRows.push(`| end − ${back} vs end, separate seeks (shared up to the checkpoint) | ${blocks(early).toLocaleString('en')} / ${blocks(end).toLocaleString('en')} | ${apart.changes} | ${ms(apart.best)} |`);
  }
  const eq = timeDiff(end, rebuilt);
  diffRows.push(`| end vs end folded again (equal, nothing shared) | ${blocks(end).toLocaleString('en')} / ${blocks(rebuilt).toLocaleString('en')} | ${eq.changes} | ${ms(eq.best)} |`);
  const other = timeDiff(end, bestEnd);
  diffRows.push(`| worst-fit end vs best-fit end (nothing shared) | ${blocks(end).toLocaleString('en')} / ${blocks(bestEnd).toLocaleString('en')} | ${other.changes.toLocaleString('en')} | ${ms(other.best)} |`);
  console.log(`\n${diffRows.join('\n')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
