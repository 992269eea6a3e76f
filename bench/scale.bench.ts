// `pnpm bench scale`: lmm at the length of a real program's trace. Streams generated traces
// of 1M, 10M and 100M commands holding the same live set to a temporary directory, then, as a
// user would (the built CLI, a new process per step): `lmm run` of each without --facts, and
// of 1M and 10M with --facts under worst fit and best fit; on those logs, a first open
// without LOG.idx (`show --at END`, which builds the index where lmm has one), cold seeks
// (`show --at` start, middle and end, `stats --at` middle) and `diff` of the two policies.
// Each step's wall and CPU seconds and peak RSS (GNU time's %M: ru_maxrss from wait4 of the
// process), whether LOG.idx lay beside the log, and the growth 10M ÷ 1M and 100M ÷ 1M.
//
// Options (flags after the file when run directly, or environment variables for `pnpm bench`):
//   --max N | LMM_SCALE_MAX        largest trace: 1M, 10M or 100M (default 100M)
//   --live N | LMM_SCALE_LIVE      live blocks the traces hold (default 10k)
//   --dir D | LMM_SCALE_DIR        where the temporary directory goes (default the OS's)
//   --timeout S | LMM_SCALE_TIMEOUT a step killed after S seconds (default 3600)
//   --sizes A,B,… | LMM_SCALE_SIZES the trace lengths instead of 1M,10M,100M (e.g. 100k,1M for a smoke run)
//   --keep | LMM_SCALE_KEEP=1      keep the traces and logs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { LMM_BIN, REPO_ROOT } from '@lmm/testkit';
import { streamTrace, writeTrace } from './genTrace.js';

const M = 1_000_000;
const GB = 1e9;

function option(flag: string, env: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : process.env[env];
}

/** "10M", "500k", "1e7" or "10000000" as a number. */
function count(text: string): number {
  const m = /^([\d.e+]+)([kKmM]?)$/.exec(text.trim());
  if (!m) throw new Error(`scale bench: not a count: ${text}`);
  const unit = m[2]!.toLowerCase();
  return Math.round(Number(m[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? M : 1));
}

const max = count(option('--max', 'LMM_SCALE_MAX') ?? '100M');
const live = count(option('--live', 'LMM_SCALE_LIVE') ?? '10k');
const timeout = Number(option('--timeout', 'LMM_SCALE_TIMEOUT') ?? 3600);
const keep = process.argv.includes('--keep') || process.env['LMM_SCALE_KEEP'] === '1';
const SIZES = (option('--sizes', 'LMM_SCALE_SIZES')?.split(',').map(count) ?? [1 * M, 10 * M, 100 * M]).filter((n) => n <= max);
const BASE = SIZES[0]!;
/** Whether a size's runs write fact logs that are then opened (not past 10M: a 100M log would be ~20 GB). */
const logged = (n: number): boolean => n <= 10 * M;
const label = (n: number): string => (n >= M ? `${n / M}M` : `${n / 1e3}k`);
const log = (text: string): void => void process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${text}\n`);

const dir = mkdtempSync(join(option('--dir', 'LMM_SCALE_DIR') ?? tmpdir(), 'lmm-bench-scale-'));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
// Without GNU time: loaded into every lmm process, prints its own usage as it exits.
const PRELOAD = join(dir, 'usage.mjs');
writeFileSync(
  PRELOAD,
  "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write(`\\nlmm-bench-usage ${(u.userCPUTime + u.systemCPUTime) / 1e6} ${u.maxRSS}\\n`); });\n",
);
const DEV_NULL = openSync('/dev/null', 'w');

/** One measured step: seconds, CPU seconds, peak RSS in MB, or why there are none. */
interface Step {
  readonly wall: number;
  readonly cpu: number;
  readonly rssMb: number;
  /** Empty when the step succeeded. */
  readonly failure: string;
  /** Whether LOG.idx lay beside the log the step read, after the step (null: no log). */
  readonly idx: boolean | null;
}

const skipped = (why: string): Step => ({ wall: NaN, cpu: NaN, rssMb: NaN, failure: why, idx: null });

/** Runs `lmm ARGS` in a new process (stdout discarded) and measures it. */
function lmm(args: readonly string[], logFile: string | null = null): Promise<Step> {
  const usageFile = join(dir, 'usage.txt');
  rmSync(usageFile, { force: true });
  const argv = TIME
    ? [TIME, '-f', 'lmm-bench-usage %e %U %S %M', '-o', usageFile, process.execPath, LMM_BIN, ...args]
    : [process.execPath, '--import', PRELOAD, LMM_BIN, ...args];
  log(`lmm ${args.map((a) => a.replace(`${dir}/`, '')).join(' ')}`);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, detached: true, stdio: ['ignore', DEV_NULL, 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, timeout * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wall = (performance.now() - t0) / 1000;
      const report = TIME ? (existsSync(usageFile) ? readFileSync(usageFile, 'utf8') : '') : stderr;
      const u = /lmm-bench-usage (\S+) (\S+)(?: (\S+) (\S+))?/.exec(report);
      const cpu = !u ? NaN : TIME ? Number(u[2]) + Number(u[3]) : Number(u[1]);
      const rssMb = !u ? NaN : Number(TIME ? u[4] : u[2]) / 1024;
      const oom = /heap out of memory|Reached heap limit/.test(stderr);
      const failure = timedOut
        ? `killed after ${timeout} s`
        : oom
          ? 'out of memory (JS heap limit)'
          : code !== 0 || signal
            ? `exit ${code ?? signal}: ${stderr.replace(/\s*lmm-bench-usage.*$/s, '').trim().split('\n').pop()?.slice(0, 120) ?? ''}`
            : '';
      if (failure) log(`  failed: ${failure}`);
      resolve({ wall, cpu, rssMb, failure, idx: logFile === null ? null : existsSync(`${logFile}.idx`) });
    });
  });
}

/** Free bytes for an unprivileged writer in `dir`. */
function freeBytes(): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Bytes one size needs on disk at once: its trace (≤ 50 B a command) and two logs with indexes (≤ 250 B a command each). */
const needBytes = (n: number): number => n * 50 + (logged(n) ? 2 * n * 250 : 0) + 1 * GB;

// Rows of the table, in order; a row's steps by size.
const ROWS = [
  'generate trace (in the bench)',
  'run, no --facts',
  'run --facts (worst fit)',
  'run --facts --policy best-fit',
  'first open, no LOG.idx: show --at END',
  'show --at 1',
  'show --at MID',
  'show --at END',
  'stats --at MID',
  'diff worst best',
] as const;
type Row = (typeof ROWS)[number];
const results = new Map<Row, Map<number, Step>>(ROWS.map((r) => [r, new Map()]));
const files = new Map<number, string>();
const set = (row: Row, n: number, step: Step): void => void results.get(row)!.set(n, step);

// The fast writer must give the trace the other benches use.
{
  const a = join(dir, 'check-a.jsonl');
  const b = join(dir, 'check-b.jsonl');
  await writeTrace(a, 200_000, live, 42);
  await streamTrace(b, 200_000, live, 42);
  if (!readFileSync(a).equals(readFileSync(b))) throw new Error('scale bench: streamTrace differs from writeTrace');
  rmSync(a);
  rmSync(b);
}

const load0 = loadavg()[0]!;
try {
  for (const n of SIZES) {
    const free = freeBytes();
    if (free < needBytes(n)) {
      const why = `not enough disk: ${label(n)} needs about ${(needBytes(n) / GB).toFixed(1)} GB in ${dir}, ${(free / GB).toFixed(1)} GB free`;
      log(why);
      files.set(n, why);
      for (const row of ROWS) set(row, n, skipped('no disk'));
      continue;
    }
    const trace = join(dir, `trace-${label(n)}.jsonl`);
    log(`generating ${label(n)} commands, ~${live} live, in ${dir} (${(free / GB).toFixed(1)} GB free)`);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let reported = 0;
    const { bytes } = await streamTrace(trace, n, live, 42, (c) => {
      if (c - reported >= 10 * M) log(`  ${(c / M).toFixed(0)}M commands written`), (reported = c);
    });
    const cpu = process.cpuUsage(cpu0);
    set(ROWS[0], n, { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, rssMb: NaN, failure: '', idx: null });
    const fileNotes = [`trace ${(bytes / 1e6).toFixed(0)} MB`];

    set('run, no --facts', n, await lmm(['run', trace]));
    if (logged(n)) {
      const worst = join(dir, `worst-${label(n)}.jsonl`);
      const best = join(dir, `best-${label(n)}.jsonl`);
      set('run --facts (worst fit)', n, await lmm(['run', trace, '--facts', worst], worst));
      set('run --facts --policy best-fit', n, await lmm(['run', trace, '--policy', 'best-fit', '--facts', best], best));
      const runIdx = existsSync(`${worst}.idx`);
      fileNotes.push(`log ${(statSync(worst).size / 1e6).toFixed(0)} MB`, `LOG.idx after run: ${runIdx ? `yes, ${(statSync(`${worst}.idx`).size / 1e6).toFixed(1)} MB` : 'no'}`);
      rmSync(`${worst}.idx`, { force: true });
      const first = await lmm(['show', worst, '--at', String(n)], worst);
      set('first open, no LOG.idx: show --at END', n, first);
      fileNotes.push(`LOG.idx after first open: ${first.idx ? 'yes' : 'no'}`);
      const seeks: [Row, string[]][] = [
        ['show --at 1', ['show', worst, '--at', '1']],
        ['show --at MID', ['show', worst, '--at', String(n / 2)]],
        ['show --at END', ['show', worst, '--at', String(n)]],
        ['stats --at MID', ['stats', worst, '--at', String(n / 2)]],
      ];
      // A log that cannot be opened once is not opened four more times.
      for (const [row, args] of seeks) set(row, n, first.failure ? skipped('first open failed') : await lmm(args, worst));
      set('diff worst best', n, await lmm(['diff', worst, best], worst));
      if (!keep) rmSync(worst, { force: true }), rmSync(`${worst}.idx`, { force: true }), rmSync(best, { force: true }), rmSync(`${best}.idx`, { force: true });
    } else {
      for (const row of ROWS.slice(2)) set(row, n, skipped('not logged'));
    }
    if (!keep) rmSync(trace, { force: true });
    files.set(n, fileNotes.join(', '));
  }
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
}

// The table.
const cell = (s: Step | undefined): string => {
  if (!s) return '—';
  if (s.failure) return s.failure === 'not logged' ? '—' : `✗ ${s.failure}`;
  const idx = s.idx === null ? '' : s.idx ? ' ·idx' : '';
  return `${s.wall.toFixed(2)} (${s.cpu.toFixed(2)}) · ${Number.isNaN(s.rssMb) ? '—' : s.rssMb.toFixed(0)}${idx}`;
};
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || !Number.isFinite(a / b) ? '—' : (a / b).toFixed(2));
const big = SIZES.slice(1);
const out: string[] = [
  `machine: ${cpus().length} CPUs, ${(totalmem() / GB).toFixed(0)} GB, load average ${load0.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end; ~${live} live blocks, seed 42`,
  `peak RSS: ${TIME ? "GNU time's %M (the process's ru_maxrss from wait4)" : 'process.resourceUsage().maxRSS at exit (preloaded)'}; CPU = user + system`,
  '',
  `cells: wall s (CPU s) · peak RSS MB; ·idx = LOG.idx beside the log after the step`,
  '',
  `| step | ${SIZES.map(label).join(' | ')} | ${big.map((n) => `time ${label(n)} ÷ ${label(BASE)} | RSS ${label(n)} ÷ ${label(BASE)}`).join(' | ')} |`,
  `|---|${SIZES.map(() => '---:').join('|')}|${big.map(() => '---:|---:').join('|')}|`,
];
for (const row of ROWS) {
  const by = results.get(row)!;
  const base = by.get(BASE);
  const growth = big.map((n) => {
    const s = by.get(n);
    return `${ratio(s?.failure ? undefined : s?.wall, base?.failure ? undefined : base?.wall)} | ${ratio(s?.failure ? undefined : s?.rssMb, base?.failure ? undefined : base?.rssMb)}`;
  });
  out.push(`| ${row} | ${SIZES.map((n) => cell(by.get(n))).join(' | ')} | ${growth.join(' | ')} |`);
}
out.push('', ...SIZES.map((n) => `- ${label(n)}: ${files.get(n) ?? '—'}`));

// The targets of issue 12 this bench can check.
const rss = SIZES.map((n) => results.get('run, no --facts')!.get(n)).filter((s): s is Step => !!s && !s.failure).map((s) => s.rssMb);
const at10 = (row: Row): Step | undefined => results.get(row)!.get(10 * M);
const shows = (['show --at 1', 'show --at MID', 'show --at END'] as const).map(at10).filter((s): s is Step => !!s);
const built = at10('first open, no LOG.idx: show --at END');
const run10 = at10('run --facts (worst fit)');
const diff10 = at10('diff worst best');
out.push(
  '',
  'targets:',
  `- run's peak RSS flat (max ÷ min over ${SIZES.map(label).join(', ')} ≤ 1.10, no --facts): ${rss.length > 1 ? `${(Math.max(...rss) / Math.min(...rss)).toFixed(2)} (${rss.map((r) => r.toFixed(0)).join(', ')} MB)` : '—'}`,
  `- show --at N on 10M, cold, index present (≤ 1 s, ≤ 300 MB): ${shows.length === 0 ? '—' : shows.map(cell).join('; ')}`,
  `- first open of the 10M log (index build) ÷ run --facts of it (≤ 1): ${built && run10 && !built.failure && !run10.failure ? `wall ${(built.wall / run10.wall).toFixed(2)}, CPU ${(built.cpu / run10.cpu).toFixed(2)}` : built?.failure ?? '—'}`,
  `- diff of two 10M logs (≤ 300 MB): ${cell(diff10)}`,
);
console.log(out.join('\n'));
