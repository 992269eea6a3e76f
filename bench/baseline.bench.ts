// `pnpm bench baseline`: whole-process `lmm run` against bench/plainSimulator.ts, the plain
// mutable implementation of SPEC (issue 12), on generated 1M-command traces holding about 10k
// and 100k live blocks, with and without a fact log. Both run as `node FILE.js …`: the
// baseline is transpiled to JavaScript first (TypeScript's transpileModule), so neither pays
// a TypeScript loader at start-up. The two run in turns (lmm, baseline, lmm, baseline …);
// each run's CPU time (user + system, all threads) is what the process itself reports at
// exit, through a preloaded module; wall time is taken around the child. The ratio is taken
// pair by pair and the median quoted — a machine that slows down slows both of a pair.
// Before timing, the two fact logs of each trace are checked byte for byte. lmm runs as
// built (`pnpm build`).
// LMM_BENCH_COMMANDS (default 1,000,000) and LMM_BENCH_ROUNDS (pairs per case, default 3)
// change the size. Prints markdown.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { writeTrace } from './genTrace.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LMM = join(ROOT, 'packages', 'cli', 'bin', 'lmm.js');
const COMMANDS = Number(process.env.LMM_BENCH_COMMANDS ?? 1_000_000);
const ROUNDS = Number(process.env.LMM_BENCH_ROUNDS ?? 3);

interface Run {
  cpu: number;
  wall: number;
}

const dir = mkdtempSync(join(tmpdir(), 'lmm-baseline-'));
try {
  const baseline = join(dir, 'plainSimulator.mjs');
  const source = readFileSync(join(ROOT, 'bench', 'plainSimulator.ts'), 'utf8');
  writeFileSync(baseline, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
  // Preloaded into both: the process's own CPU seconds, on stderr, as it exits.
  const cpuReport = join(dir, 'cpu.mjs');
  writeFileSync(cpuReport, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\ncpu-us ${u.user + u.system}\\n`); });\n");
  const preload = ['--import', pathToFileURL(cpuReport).href];

  const time = (args: string[]): Run => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [...preload, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 20 });
    const wall = (performance.now() - t0) / 1000;
    const m = /cpu-us (\d+)/.exec(r.stderr);
    if (r.status !== 0 || m === null) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return { cpu: Number(m[1]) / 1e6, wall };
  };
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };

  console.log(`${COMMANDS.toLocaleString('en')} commands per trace, ${ROUNDS} pairs per case in turns; seconds are medians, ratios the median of the pairs' ratios (lmm ÷ baseline: the target of issue 12 is ≤ 0.5)\n`);
  console.log('| live blocks | fact log | lmm cpu s | baseline cpu s | lmm ÷ baseline (cpu) | lmm wall s | baseline wall s | lmm ÷ baseline (wall) |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const live of [10_000, 100_000]) {
    const trace = join(dir, `trace-${live}.jsonl`);
    await writeTrace(trace, COMMANDS, live, 42);
    const lmmLog = join(dir, 'lmm-facts.jsonl');
    const baseLog = join(dir, 'baseline-facts.jsonl');
    // Same facts, byte for byte (and both runs warm the file cache).
    time([LMM, 'run', trace, '--facts', lmmLog]);
    time([baseline, trace, '--facts', baseLog]);
    if (!readFileSync(lmmLog).equals(readFileSync(baseLog))) throw new Error(`the fact logs of lmm and the baseline differ on ${trace}`);
    for (const facts of [false, true]) {
      const a: Run[] = [];
      const b: Run[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        a.push(time([LMM, 'run', trace, ...(facts ? ['--facts', lmmLog] : [])]));
        b.push(time([baseline, trace, ...(facts ? ['--facts', baseLog] : [])]));
      }
      const ratio = (f: (r: Run) => number) => median(a.map((r, i) => f(r) / f(b[i]!))).toFixed(2);
      const med = (rs: Run[], f: (r: Run) => number) => median(rs.map(f)).toFixed(2);
      const cpu = (r: Run) => r.cpu;
      const wall = (r: Run) => r.wall;
      console.log(
        `| ${live.toLocaleString('en')} | ${facts ? 'yes' : 'no'} | ${med(a, cpu)} | ${med(b, cpu)} | ${ratio(cpu)} | ${med(a, wall)} | ${med(b, wall)} | ${ratio(wall)} |`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
