// `lmm compare` with --jobs 1 (in-process) and --jobs 2 (two worker threads), in turns, as a
// user runs it (process start included): the four shared valgrind traces × four policies,
// and one generated 300k-command trace × four policies (runs long enough for the threads to
// matter). Prints wall and CPU seconds (best of ROUNDS) and the wall ratio. Prints markdown.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTrace } from './genTrace.js';

const ROUNDS = 3;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'traces');
const bin = join(root, 'packages', 'cli', 'bin', 'lmm.js');

/** CPU seconds of every child process waited for so far (Linux: cutime + cstime of /proc/self/stat). */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) " the state is field 0; cutime and cstime are fields 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Wall and CPU seconds (user + system, every thread) of one `lmm compare`. */
function time(traces: readonly string[], jobs: number): { wall: number; cpu: number } {
  const cpu0 = childCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'compare', ...traces, '--jobs', String(jobs)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`lmm compare exited ${r.status}`);
  return { wall, cpu: childCpuSeconds() - cpu0 };
}

const dir = mkdtempSync(join(tmpdir(), 'lmm-bench-compare-'));
try {
  const big = join(dir, 'gen-300k.jsonl');
  await writeTrace(big, 300_000, 20_000, 11);
  const sets: [string, string[]][] = [
    ['4 shared traces × 4 policies', readdirSync(shared).filter((f) => f.endsWith('.valgrind.log')).map((f) => join(shared, f))],
    ['generated 300k commands × 4 policies', [big]],
  ];
  const rows = [`machine: ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the start`, '', '| workload | --jobs 1 wall s (CPU s) | --jobs 2 wall s (CPU s) | wall 2 ÷ 1 |', '|---|---:|---:|---:|'];
  for (const [label, traces] of sets) {
    const best = { 1: { wall: Infinity, cpu: Infinity }, 2: { wall: Infinity, cpu: Infinity } } as Record<1 | 2, { wall: number; cpu: number }>;
    for (let round = 0; round < ROUNDS; round++) {
      for (const jobs of [1, 2] as const) {
        const t = time(traces, jobs);
        if (t.wall < best[jobs].wall) best[jobs] = t;
      }
    }
    rows.push(`| ${label} | ${best[1].wall.toFixed(2)} (${best[1].cpu.toFixed(2)}) | ${best[2].wall.toFixed(2)} (${best[2].cpu.toFixed(2)}) | ${(best[2].wall / best[1].wall).toFixed(2)} |`);
  }
  rows.push('', `load average ${loadavg()[0]!.toFixed(1)} at the end`);
  console.log(rows.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
