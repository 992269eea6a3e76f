// Per-command cost of the core at 1k, 10k and 100k live blocks, for the persistent `step`
// (every command yields an immutable snapshot) and the batch `Engine` (one working copy,
// no snapshots), and whole-process `lmm run` on a generated 1M-command trace (as a user runs
// it: `pnpm lmm`, process start included). Prints markdown.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, initialState, LAYOUTS, step, type HeapState, type Policy } from '../packages/core/src/index';
import { generateCommands, writeTrace } from './genTrace';

const MEASURED = 200_000;

function cpuMicros(f: () => void): number {
  const t0 = process.cpuUsage();
  f();
  const t = process.cpuUsage(t0);
  return t.user + t.system;
}

function warm(live: number, policy: Policy): { state: HeapState; rest: object[] } {
  // Fill to `live` blocks (the generator allocates until it holds `live`), then measure the
  // steady mix after that point.
  const all = [...generateCommands(live * 3 + MEASURED, live, 7)];
  const engine = new Engine(initialState({ layout: LAYOUTS.seed, policy }));
  for (const c of all.slice(0, live * 3)) engine.execute(c);
  return { state: engine.snapshot(), rest: all.slice(live * 3) };
}

const ROUNDS = 5;
const SIZES = [1_000, 10_000, 100_000];
const rows: string[] = ['| policy | live blocks | `step` µs/cmd (snapshot each) | `Engine` µs/cmd (batched) |', '|---|---:|---:|---:|'];
for (const policy of ['worst-fit', 'best-fit', 'first-fit'] as Policy[]) {
  const warmed = SIZES.map((live) => warm(live, policy));
  const best1 = SIZES.map(() => Infinity);
  const best2 = SIZES.map(() => Infinity);
  // Rounds over all sizes, best of each: a slow moment of the machine then hits every size
  // alike instead of one (the ratio between sizes is what the targets are about).
  for (let round = 0; round < ROUNDS; round++) {
    warmed.forEach(({ state, rest }, i) => {
      let s = state;
      best1[i] = Math.min(best1[i]!, cpuMicros(() => {
        for (const c of rest) s = step(s, c).state;
      }) / rest.length);
      const e = new Engine(state);
      best2[i] = Math.min(best2[i]!, cpuMicros(() => {
        for (const c of rest) e.execute(c);
      }) / rest.length);
    });
  }
  warmed.forEach(({ state }, i) => {
    rows.push(`| ${policy} | ${SIZES[i]!.toLocaleString('en')} (live ${state.live.size.toLocaleString('en')}) | ${best1[i]!.toFixed(2)} | ${best2[i]!.toFixed(2)} |`);
  });
  rows.push(`| ${policy} | 100k ÷ 1k | ${(best1[2]! / best1[0]!).toFixed(1)}× | ${(best2[2]! / best2[0]!).toFixed(1)}× |`);
}
console.log(rows.join('\n'));

const dir = mkdtempSync(join(tmpdir(), 'lmm-bench-'));
try {
  const trace = join(dir, 'trace.jsonl');
  const n = 1_000_000;
  await writeTrace(trace, n, 100_000, 42);
  const out: string[] = ['', '| `lmm run` on 1M commands (100k live) | wall s | commands/s |', '|---|---:|---:|'];
  for (const [label, extra] of [
    ['summary only', [] as string[]],
    ['with --facts and --state', ['--facts', join(dir, 'f.jsonl'), '--state', join(dir, 's.json')]],
  ] as const) {
    let best = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const r = spawnSync('pnpm', ['--silent', 'lmm', 'run', trace, ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error(`lmm run exited ${r.status}`);
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    out.push(`| ${label} | ${best.toFixed(2)} | ${Math.round(n / best).toLocaleString('en')} |`);
  }
  console.log(out.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
