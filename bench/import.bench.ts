// `pnpm bench import`: how fast readTrace imports the largest shared valgrind log
// (python-json-pymalloc), per family mapping: reading, parsing and mapping to commands,
// no engine. Medians over repetitions after a warm-up; one markdown table.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LAYOUTS } from '@lmm/core';
import { readTrace, type FamilyMapping } from '@lmm/replay';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FILE = join(ROOT, '..', 'shared', 'traces', 'python-json-pymalloc.valgrind.log');
const WARMUP = 10;
const REPS = 40;

async function importOnce(families: FamilyMapping): Promise<{ ms: number; ops: number; lines: number }> {
  const t0 = performance.now();
  let ops = 0;
  let lines = 0;
  for await (const batch of readTrace(FILE, { layout: LAYOUTS.seed, families, format: 'auto' })) {
    for (const { command, line } of batch) {
      if ((command as { op: string }).op !== 'register') ops++;
      lines = line;
    }
  }
  return { ms: performance.now() - t0, ops, lines };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

const bytes = statSync(FILE).size;
console.log(`${FILE.split('/').pop()}: ${(bytes / 1024).toFixed(0)} KiB, ${WARMUP} warm-up + ${REPS} timed imports per mapping\n`);
console.log('| families | ops | median ms | best ms | ops/s (median) | lines/s (median) | MB/s (median) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const families of ['single', 'pow2', 'exact'] as const) {
  for (let i = 0; i < WARMUP; i++) await importOnce(families);
  const runs = [];
  for (let i = 0; i < REPS; i++) runs.push(await importOnce(families));
  const ms = median(runs.map((r) => r.ms));
  const best = Math.min(...runs.map((r) => r.ms));
  const { ops, lines } = runs[0]!;
  const perSec = (n: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');
  console.log(`| ${families} | ${ops} | ${ms.toFixed(2)} | ${best.toFixed(2)} | ${perSec(ops)} | ${perSec(lines)} | ${(bytes / 1e6 / (ms / 1000)).toFixed(1)} |`);
}
