// `pnpm bench memory`: peak memory (max RSS) and time of `lmm run` as a user runs it (its
// own process, default heap limit), to show that memory follows the live heap, not the
// trace length: generated traces of 1M and 5M commands holding about 10 000 live blocks,
// with and without --facts; 3M allocations that all stay live; and a trace whose second
// line is 100 MB (refused at once, having read little more than the 16 MiB line limit).
// `pnpm bench memory -- --quick` runs smaller sizes. One markdown table.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTrace } from './genTrace.js';
import { LMM_BIN } from '@lmm/testkit';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const dir = mkdtempSync(join(tmpdir(), 'lmm-memory-bench-'));
// Loaded into every run: prints the process's peak RSS as it exits.
const PRELOAD = join(dir, 'maxrss.mjs');
writeFileSync(PRELOAD, "process.on('exit', () => process.stderr.write(`\\nlmm-bench-maxrss ${process.resourceUsage().maxRSS}\\n`));\n");

interface Measure {
  readonly code: number | null;
  readonly seconds: number;
  readonly maxRssMb: number;
  readonly stderr: string;
}

function measure(args: readonly string[]): Promise<Measure> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', PRELOAD, LMM_BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const rss = /lmm-bench-maxrss (\d+)/.exec(stderr);
      resolve({ code, seconds: (performance.now() - t0) / 1000, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN, stderr: stderr.replace(/\s*lmm-bench-maxrss \d+\s*/, '').trim() });
    });
  });
}

/** A trace of one register and `n` allocations of distinct ids, none freed. */
function writeAllLive(file: string, n: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, '{"op":"register","family":"emp_t","size":36}\n');
  let buf: string[] = [];
  for (let i = 0; i < n; i++) {
    buf.push(`{"op":"alloc","id":"e${i}","family":"emp_t"}`);
    if (buf.length === 100_000) {
      writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    }
  }
  if (buf.length > 0) writeSync(fd, `${buf.join('\n')}\n`);
  closeSync(fd);
}

/** A trace whose second line is `mb` MB long (no line end in it). */
function writeLongLine(file: string, mb: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, '{"op":"register","family":"emp_t","size":36}\n{"op":"alloc","id":"');
  const block = Buffer.alloc(1 << 20, 0x61);
  for (let i = 0; i < mb; i++) writeSync(fd, block);
  writeSync(fd, '","family":"emp_t"}\n');
  closeSync(fd);
}

const PLAIN = { label: '', args: (f: string) => ['run', f] };
const FACTS = { label: ', --facts', args: (f: string) => ['run', f, '--facts', `${f}.log`] };
const M = 1_000_000;
const small = quick ? 0.2 * M : 1 * M;
const large = quick ? 1 * M : 5 * M;
const allLive = quick ? 0.5 * M : 3 * M;
const traces: { name: string; make: (file: string) => Promise<void> | void; runs: { label: string; args: (file: string) => string[] }[] }[] = [
  { name: `${small / M}M commands, ~10k live`, make: (f) => writeTrace(f, small, 10_000, 1), runs: [PLAIN, FACTS] },
  { name: `${large / M}M commands, ~10k live`, make: (f) => writeTrace(f, large, 10_000, 1), runs: [PLAIN, FACTS] },
  { name: `${allLive / M}M allocations, all live`, make: (f) => writeAllLive(f, allLive), runs: [PLAIN] },
  { name: 'a 100 MB line', make: (f) => writeLongLine(f, 100), runs: [PLAIN] },
];

console.log('`lmm run` in its own process, default heap limit; peak RSS from process.resourceUsage().maxRSS.\n');
console.log('| trace | file MB | exit | seconds | peak RSS MB | message |');
console.log('|---|---:|---:|---:|---:|---|');
try {
  for (const t of traces) {
    const file = join(dir, `${t.name.replace(/\W+/g, '-')}.jsonl`);
    await t.make(file);
    const mb = statSync(file).size / 1e6;
    for (const r of t.runs) {
      const m = await measure(r.args(file));
      console.log(`| ${t.name}${r.label} | ${mb.toFixed(0)} | ${m.code} | ${m.seconds.toFixed(1)} | ${m.maxRssMb.toFixed(0)} | ${m.stderr.split('\n')[0]?.slice(0, 100) ?? ''} |`);
      rmSync(`${file}.log`, { force: true });
    }
    rmSync(file, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
