/**
 * `lmm compare` in process (`--jobs 1`: its runs in this thread), against values found apart
 * from it (SPEC §5): each row equal to what `lmm run … --json` reports for that run and to the
 * naive model's peaks, the rows in list order, the table of a trace checked by hand, the CSV
 * columns, the page's rows, bars and charts, every usage error's exact line, and a trace that
 * fails the whole command with nothing written.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLayout, POLICIES, type Layout, type Stats } from '@lmm/core';
import { naivePeak } from '@lmm/testkit';
import { lmmInProcess } from './lmmInProcess.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-compare-in-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * scenarios/best-vs-worst-fit.jsonl (see its comments) and a free of an unknown id. Seed
 * layout (4096-byte pages, 28-byte headers). After command 6 the live blocks are a, c (1000
 * bytes each) and e (900); f (1000) makes 3900 live bytes. Best fit put e in page 1's tail
 * (984 bytes) and f in b's 1000-byte hole: one page, 3900 / 4096 = 95.2 %, 56 bytes free, so
 * no external fragmentation. Worst fit put e in the hole (72 bytes left) and f, with 72 + 984
 * family bytes free but no piece of 1000, on a second page (an avoidable growth): 3900 / 8192
 * = 47.6 %, free 72 + 984 + 3040 bytes, the largest 3040: 1 − 3040 / 4096 = 25.8 %. First fit
 * and address-first fit meet the hole first, as worst fit does. The last command is rejected.
 */
const T1 = [
  { op: 'register', family: 'u_t', size: 100 },
  { op: 'alloc', id: 'a', family: 'u_t', units: 10 },
  { op: 'alloc', id: 'b', family: 'u_t', units: 10 },
  { op: 'alloc', id: 'c', family: 'u_t', units: 10 },
  { op: 'free', id: 'b' },
  { op: 'alloc', id: 'e', family: 'u_t', units: 9 },
  { op: 'alloc', id: 'f', family: 'u_t', units: 10 },
  { op: 'free', id: 'nobody' },
];
const jsonl = (commands: readonly unknown[]): string => `${commands.map((c) => JSON.stringify(c)).join('\n')}\n`;
writeFileSync(join(tmp, 't1.jsonl'), jsonl(T1));
// A trace with no command at all: every figure is 0.
writeFileSync(join(tmp, 'no-commands.jsonl'), '# nothing to run\n');
// valgrind and malloc-lab traces, whose commands depend on --families (SPEC §4).
writeFileSync(
  join(tmp, 'prog.valgrind.log'),
  [
    '==7== Memcheck, a memory error detector',
    '--7-- malloc(100) = 0x1000',
    '--7-- malloc(24) = 0x2000',
    '--7-- calloc(4,8) = 0x3000',
    '--7-- free(0x2000)',
    '--7-- realloc(0x1000,300) = 0x4000',
    '--7-- _Znwm(2000) = 0x5000',
    '--7-- free(0x0)',
    '--7-- _ZdlPv(0x3000)',
    '--7-- malloc(5000) = 0x6000',
    '--7-- free(0x4000)',
    '',
  ].join('\n'),
);
writeFileSync(join(tmp, 'small.rep'), '20000\n3\n6\n1\na 0 512\na 1 128\nf 0\nr 1 640\na 2 3000\nf -1\n');
/** 1500 commands: blocks of 1 to 60 units of 16 bytes, every third command freeing the block allocated two before, every 100th a rejected free. */
const LONG: unknown[] = [{ op: 'register', family: 'a', size: 16 }];
for (let i = 1; LONG.length < 1500; i++) {
  if (i % 100 === 0) LONG.push({ op: 'free', id: 'nobody' });
  else if (i % 3 === 2) LONG.push({ op: 'free', id: `b${i - 2}` });
  else LONG.push({ op: 'alloc', id: `b${i}`, family: 'a', units: 1 + ((i * 37) % 60) });
}
writeFileSync(join(tmp, 'long.jsonl'), jsonl(LONG));
// Bad input: line 3 does not parse; an empty file.
writeFileSync(join(tmp, 'bad.jsonl'), '{"op":"register","family":"a","size":8}\n{"op":"alloc","id":"x","family":"a"}\n{"op":\n');
writeFileSync(join(tmp, 'empty.jsonl'), '');
const INPUTS = readdirSync(tmp).sort();

/** A row of `compare --json` (SPEC §5). */
interface Row {
  trace: string;
  layout: string;
  families: string;
  policy: string;
  commands: number;
  rejected: number;
  peakLiveBytes: number;
  peakHeapBytes: number;
  peakUtilization: number;
  peakPages: number;
  final: Stats;
}

/** What `lmm run --json` prints (SPEC §5), the parts a row is made of. */
interface RunJson {
  total: Stats;
  peak: { liveBytes: number; heapBytes: number; utilization: number };
  commands: number;
  rejected: Record<string, number>;
}

const compare = (args: readonly string[]) => lmmInProcess(['compare', ...args], { cwd: tmp });

async function compareRows(args: readonly string[]): Promise<Row[]> {
  const r = await compare([...args, '--json']);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(r.stdout.endsWith('}\n') && r.stdout.indexOf('\n') === r.stdout.length - 1).toBe(true);
  return (JSON.parse(r.stdout) as { runs: Row[] }).runs;
}

/** `lmm run` of one row's run, in process; its `--json`. */
async function runOf(x: Pick<Row, 'trace' | 'layout' | 'families' | 'policy'>, more: readonly string[] = []): Promise<RunJson> {
  const r = await lmmInProcess(['run', x.trace, '--layout', x.layout, '--families', x.families, '--policy', x.policy, ...more, '--json'], { cwd: tmp });
  expect({ code: r.code, stderr: r.stderr }, `${x.trace} ${x.layout} ${x.families} ${x.policy}`).toEqual({ code: 0, stderr: '' });
  return JSON.parse(r.stdout) as RunJson;
}

/** The row SPEC §5 asks for, made from `lmm run --json` of the same run: peak pages are peak heap bytes in pages. */
function rowFromRun(x: Pick<Row, 'trace' | 'layout' | 'families' | 'policy'>, run: RunJson): Row {
  const layout = parseLayout(x.layout) as Layout;
  return {
    trace: x.trace,
    layout: x.layout,
    families: x.families,
    policy: x.policy,
    commands: run.commands,
    rejected: Object.values(run.rejected).reduce((a, b) => a + b, 0),
    peakLiveBytes: run.peak.liveBytes,
    peakHeapBytes: run.peak.heapBytes,
    peakUtilization: run.peak.utilization,
    peakPages: run.peak.heapBytes / layout.pageSize,
    final: run.total,
  };
}

/** Every combination in the order SPEC §5 gives: trace, then layout, then families, then policy. */
function combinations(traces: readonly string[], layouts: readonly string[], families: readonly string[], policies: readonly string[] = POLICIES): Pick<Row, 'trace' | 'layout' | 'families' | 'policy'>[] {
  return traces.flatMap((trace) => layouts.flatMap((layout) => families.flatMap((f) => policies.map((policy) => ({ trace, layout, families: f, policy })))));
}

/** For each row, whether its peak utilization is the highest of its trace's rows. */
function bestOfTrace(rows: readonly Row[]): boolean[] {
  return rows.map((r) => r.peakUtilization === Math.max(...rows.filter((x) => x.trace === r.trace).map((x) => x.peakUtilization)));
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const int = (n: number): string => n.toLocaleString('en');

describe('lmm compare: the rows', () => {
  it('one row per run in list order, each equal to lmm run --json of its run; JSONL peaks equal to the naive model', async () => {
    const traces = ['t1.jsonl', 'prog.valgrind.log', 'small.rep', 'no-commands.jsonl'];
    const layouts = ['seed', '2048:16:8'];
    const families = ['single', 'pow2'];
    const rows = await compareRows([...traces, '--layouts', layouts.join(','), '--families', families.join(','), '--jobs', '1']);
    const runs = combinations(traces, layouts, families);
    expect(rows).toHaveLength(64);
    expect(rows.map((r) => [r.trace, r.layout, r.families, r.policy])).toEqual(runs.map((x) => [x.trace, x.layout, x.families, x.policy]));
    for (const [i, x] of runs.entries()) {
      expect(rows[i], `${x.trace} ${x.layout} ${x.families} ${x.policy}`).toEqual(rowFromRun(x, await runOf(x)));
      // The JSON fields in SPEC §5's order.
      expect(Object.keys(rows[i]!)).toEqual(['trace', 'layout', 'families', 'policy', 'commands', 'rejected', 'peakLiveBytes', 'peakHeapBytes', 'peakUtilization', 'peakPages', 'final']);
    }
    for (const r of rows.filter((x) => x.trace === 't1.jsonl')) {
      const naive = naivePeak(parseLayout(r.layout) as Layout, r.policy as (typeof POLICIES)[number], null, T1);
      expect([r.peakLiveBytes, r.peakHeapBytes, r.peakPages, r.peakUtilization]).toEqual([naive.liveBytes, naive.heapBytes, naive.pages, naive.utilization]);
    }
    // What the lists change: the valgrind trace's commands with the mapping, the pages with the layout.
    const at = (trace: string, layout: string, f: string) => rows.find((r) => r.trace === trace && r.layout === layout && r.families === f && r.policy === 'best-fit')!;
    expect([at('prog.valgrind.log', 'seed', 'single').commands, at('prog.valgrind.log', 'seed', 'pow2').commands]).toEqual([10, 13]);
    expect([at('t1.jsonl', 'seed', 'single').peakPages, at('t1.jsonl', '2048:16:8', 'single').peakPages]).toEqual([1, 2]);
    expect(rows.filter((r) => r.trace === 't1.jsonl').map((r) => r.rejected)).toEqual(Array<number>(16).fill(1));
    expect(rows.filter((r) => r.trace === 'no-commands.jsonl').map((r) => [r.commands, r.peakHeapBytes, r.peakUtilization, r.final.heapBytes])).toEqual(Array(16).fill([0, 0, 0, 0]));
  }, 120_000);

  it('the defaults: all four policies in SPEC order, layout seed, families single; a single run needs no --jobs', async () => {
    const rows = await compareRows(['t1.jsonl', '--jobs', '1']);
    expect(rows.map((r) => [r.layout, r.families, r.policy])).toEqual([
      ['seed', 'single', 'worst-fit'],
      ['seed', 'single', 'best-fit'],
      ['seed', 'single', 'first-fit'],
      ['seed', 'single', 'address-first-fit'],
    ]);
    // Hand-checked (see T1): worst, first and address-first fit take two pages, best fit one.
    expect(rows.map((r) => [r.peakLiveBytes, r.peakHeapBytes, r.peakPages, r.final.pageRequests, r.final.avoidableGrowth, r.rejected])).toEqual([
      [3900, 8192, 2, 2, 1, 1],
      [3900, 4096, 1, 1, 0, 1],
      [3900, 8192, 2, 2, 1, 1],
      [3900, 8192, 2, 2, 1, 1],
    ]);
    // One job runs in this thread whatever the number of threads.
    expect(await compareRows(['t1.jsonl', '--policies', 'best-fit'])).toEqual([rows[1]]);
  });

  it('the trace as written on the command line; the layout as written', async () => {
    const abs = join(tmp, 't1.jsonl');
    const rows = await compareRows(['./t1.jsonl', abs, '--policies', 'best-fit', '--layouts', '4096:0:28', '--jobs', '1']);
    expect(rows.map((r) => [r.trace, r.layout])).toEqual([
      ['./t1.jsonl', '4096:0:28'],
      [abs, '4096:0:28'],
    ]);
    expect(rows[1]).toEqual({ ...rows[0], trace: abs });
  });

  it('--max-pages N limits every run as lmm run --max-pages N does', async () => {
    const rows = await compareRows(['t1.jsonl', '--max-pages', '1', '--jobs', '1']);
    for (const [i, x] of combinations(['t1.jsonl'], ['seed'], ['single']).entries()) expect(rows[i]).toEqual(rowFromRun(x, await runOf(x, ['--max-pages', '1'])));
    // Worst fit cannot take its second page: f is rejected too, and a, b and c (3000 bytes) stay the live peak.
    expect(rows.map((r) => [r.rejected, r.peakLiveBytes, r.peakHeapBytes])).toEqual([
      [2, 3000, 4096],
      [1, 3900, 4096],
      [2, 3000, 4096],
      [2, 3000, 4096],
    ]);
    // No page at all: the five allocations are rejected, and so the frees of b (never allocated) and of nobody.
    expect((await compareRows(['t1.jsonl', '--max-pages', '0', '--policies', 'best-fit', '--jobs', '1'])).map((r) => [r.rejected, r.peakHeapBytes])).toEqual([[7, 0]]);
  });
});

describe('lmm compare: the table, CSV and JSON', () => {
  it('the table of two traces, checked by hand (T1 above; a trace of no command ties at 0 %)', async () => {
    const r = await compare(['t1.jsonl', 'no-commands.jsonl', '--policies', 'worst-fit,best-fit', '--jobs', '1']);
    expect(r).toEqual({
      code: 0,
      signal: null,
      stderr: '',
      stdout: [
        'trace              layout  families  policy     commands  peak live  peak heap  peak pages  peak util     ext frag  page reqs  avoidable  rejected',
        't1.jsonl           seed    single    worst-fit         8      3,900      8,192           2      47.6%        25.8%          2          1         1',
        't1.jsonl           seed    single    best-fit          8      3,900      4,096           1      95.2%  *      0.0%          1          0         1',
        'no-commands.jsonl  seed    single    worst-fit         0          0          0           0       0.0%  *      0.0%          0          0         0',
        'no-commands.jsonl  seed    single    best-fit          0          0          0           0       0.0%  *      0.0%          0          0         0',
        '* the best peak utilization (peak live / peak heap bytes) of the trace',
        '',
      ].join('\n'),
    });
  });

  it("every table line holds its row's values, the best of each trace marked *", async () => {
    const args = ['t1.jsonl', 'prog.valgrind.log', 'small.rep', 'long.jsonl', '--families', 'single,pow2', '--jobs', '1'];
    const rows = await compareRows(args);
    const r = await compare(args);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(rows.length + 3);
    expect(lines.slice(-2)).toEqual(['* the best peak utilization (peak live / peak heap bytes) of the trace', '']);
    const best = bestOfTrace(rows);
    rows.forEach((x, i) => {
      // Cells are two or more spaces apart; the empty mark leaves no cell.
      expect(lines[i + 1]!.split(/ {2,}/)).toEqual([
        x.trace,
        x.layout,
        x.families,
        x.policy,
        int(x.commands),
        int(x.peakLiveBytes),
        int(x.peakHeapBytes),
        int(x.peakPages),
        pct(x.peakUtilization),
        ...(best[i] ? ['*'] : []),
        pct(x.final.externalFrag),
        int(x.final.pageRequests),
        int(x.final.avoidableGrowth),
        int(x.rejected),
      ]);
    });
    expect(best.filter((b) => b).length).toBeLessThan(rows.length);
    expect(rows.find((x) => x.trace === 'long.jsonl')!.commands).toBe(1500);
    expect(r.stdout).toContain('     1,500  ');
  });

  it('--csv: the JSON fields as columns, the final statistics prefixed final., numbers as JSON writes them, fields with a comma or quote quoted', async () => {
    copyFileSync(join(tmp, 't1.jsonl'), join(tmp, 'we,"ird".jsonl'));
    try {
      const args = ['we,"ird".jsonl', 'prog.valgrind.log', '--families', 'single,exact', '--jobs', '1'];
      const rows = await compareRows(args);
      const r = await compare([...args, '--csv']);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const [head, ...lines] = r.stdout.split('\n');
      expect(head).toBe(
        'trace,layout,families,policy,commands,rejected,peakLiveBytes,peakHeapBytes,peakUtilization,peakPages,' +
          'final.pages,final.heapBytes,final.tbc,final.fbc,final.obc,final.liveBytes,final.appMemUsage,final.freeBytes,final.hardFragBytes,final.softFragBytes,final.largestFree,final.externalFrag,final.utilization,final.pageRequests,final.avoidableGrowth',
      );
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(16);
      rows.forEach((x, i) => {
        const { final, trace, ...rest } = x;
        const quoted = trace === 'we,"ird".jsonl' ? '"we,""ird"".jsonl"' : trace;
        expect(lines[i]).toBe([quoted, ...Object.values(rest).map(String), ...Object.values(final).map(String)].join(','));
      });
      expect(lines[0]!.startsWith('"we,""ird"".jsonl",seed,single,worst-fit,8,1,3900,8192,0.47607421875,2,2,8192,')).toBe(true);
      expect(rows.slice(0, 4)).toEqual((await compareRows(['t1.jsonl', '--jobs', '1'])).map((x) => ({ ...x, trace: 'we,"ird".jsonl' })));
    } finally {
      rmSync(join(tmp, 'we,"ird".jsonl'));
    }
  });
});

describe('lmm compare -o FILE.html', () => {
  it("writes the page with each run's row, bar and chart, and still prints the table", async () => {
    const args = ['t1.jsonl', 'prog.valgrind.log', 'long.jsonl', '--families', 'single,pow2', '--policies', 'worst-fit,best-fit', '--jobs', '1'];
    const rows = await compareRows(args);
    const table = await compare(args);
    const r = await compare([...args, '-o', 'page.html']);
    expect(r).toEqual(table);
    const page = readFileSync(join(tmp, 'page.html'), 'utf8');
    rmSync(join(tmp, 'page.html'));
    expect(readdirSync(tmp).sort()).toEqual(INPUTS);
    // Each row in the page's table, made from lmm run --json of its run; the best of each trace in amber, with a star.
    const best = bestOfTrace(rows);
    const trs = page.match(/<tr[ >].*?<\/tr>/g)!;
    expect(trs).toHaveLength(rows.length + 1);
    for (const [i, x] of rows.entries()) {
      const run = rowFromRun(x, await runOf(x));
      expect(trs[i + 1]).toBe(
        `<tr${best[i] ? ' class="best"' : ''}>` +
          [x.trace, x.layout, x.families, x.policy, int(run.commands), int(run.peakLiveBytes), int(run.peakHeapBytes), int(run.peakPages), `${pct(run.peakUtilization)}${best[i] ? ' ★' : ''}`, pct(run.final.externalFrag), int(run.final.pageRequests), int(run.final.avoidableGrowth), int(run.rejected)]
            .map((c) => `<td>${c}</td>`)
            .join('') +
          '</tr>',
      );
    }
    // A bar per run, titled with its trace, what tells it apart (families and policy: one layout) and its peak utilization.
    const titles = [...page.matchAll(/<rect [^>]*fill="(#[0-9a-f]+)"><title>([^<]*)<\/title><\/rect>/g)].map((m) => [m[1], m[2]]);
    expect(titles).toEqual(rows.map((x, i) => [best[i] ? '#f59e0b' : '#8b5cf6', `${x.trace} · ${x.families} · ${x.policy}: peak utilization ${pct(x.peakUtilization)}`]));
    // A chart per run, captioned with its peaks; the long trace in buckets of 2 commands (1500 > 1000).
    const captions = [...page.matchAll(/<figcaption>(.*?)<\/figcaption>/g)].map((m) => m[1]);
    expect(captions).toEqual(
      rows.map((x) => `${x.trace} · seed · ${x.families} · <b>${x.policy}</b> — peak live ${int(x.peakLiveBytes)} B, peak heap ${int(x.peakHeapBytes)} B (${pct(x.peakUtilization)})${x.trace === 'long.jsonl' ? ', 2 commands a bucket' : ''}`),
    );
    // Each chart's scale goes from 0 to the run's peak heap bytes (never below its live bytes), and from command 0 to its last.
    const charts = [...page.matchAll(/<svg class="run" [^>]*aria-label="([^"]*)">(.*?)<\/svg>/g)].map((m) => [m[1], ...[...m[2]!.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((t) => t[1])]);
    expect(charts).toEqual(rows.map((x) => [`live and heap bytes of ${x.trace} under ${x.policy}`, `${int(x.peakHeapBytes)} B`, '0', 'command 0', int(x.commands)]));
    expect(page.startsWith('<!doctype html>\n')).toBe(true);
    expect(page.endsWith('</body></html>\n')).toBe(true);
  });

  it('refuses an output that is also an input, and a directory that does not exist, before any run', async () => {
    expect(await compare(['t1.jsonl', '-o', 't1.jsonl', '--jobs', '1'])).toEqual({
      code: 2,
      signal: null,
      stdout: '',
      stderr: 'lmm: t1.jsonl: is also an input of this command (t1.jsonl); writing it would replace what is read\n',
    });
    expect(await compare(['t1.jsonl', '-o', 'no/such/dir/page.html', '--jobs', '1'])).toEqual({ code: 2, signal: null, stdout: '', stderr: 'lmm: no/such/dir/page.html: cannot write: no such directory\n' });
    expect(readFileSync(join(tmp, 't1.jsonl'), 'utf8')).toBe(jsonl(T1));
    expect(readdirSync(tmp).sort()).toEqual(INPUTS);
  });
});

describe('lmm compare: errors', () => {
  it.each([
    [[], 'compare: expected TRACE…, got nothing'],
    [['-'], 'compare: reads each trace once per run, so not from standard input (-); name a file'],
    [['t1.jsonl', '-'], 'compare: reads each trace once per run, so not from standard input (-); name a file'],
    [['t1.jsonl', '--json', '--csv'], 'compare: --json and --csv are two different outputs; choose one'],
    [['t1.jsonl', '--policies', 'best-fit,next-fit'], "--policies: unknown policy 'next-fit' (worst-fit, best-fit, first-fit, address-first-fit)"],
    [['t1.jsonl', '--policies', 'Best-Fit'], "--policies: unknown policy 'Best-Fit' (worst-fit, best-fit, first-fit, address-first-fit)"],
    [['t1.jsonl', '--policies', ''], "--policies: '' has an empty item (a comma-separated list)"],
    [['t1.jsonl', '--policies', 'best-fit,'], "--policies: 'best-fit,' has an empty item (a comma-separated list)"],
    [['t1.jsonl', '--layouts', 'seed,,lmm64'], "--layouts: 'seed,,lmm64' has an empty item (a comma-separated list)"],
    [['t1.jsonl', '--layouts', 'seed,bogus'], "--layouts: unknown layout 'bogus' (expected seed, lmm64, lmm32 or PAGE:HEADER:META)"],
    [['t1.jsonl', '--families', 'pow3'], "--families: unknown mapping 'pow3' (single, pow2 or exact)"],
    [['t1.jsonl', '--families', ',pow2'], "--families: ',pow2' has an empty item (a comma-separated list)"],
    [['t1.jsonl', '--max-pages', 'x'], "--max-pages: 'x' is not an integer ≥ 0"],
    [['t1.jsonl', '--jobs', '0'], "--jobs: '0' is not an integer ≥ 1"],
    [['t1.jsonl', '--jobs', 'all'], "--jobs: 'all' is not an integer ≥ 1"],
    [['t1.jsonl', '--policy', 'best-fit'], "compare: Unknown option '--policy'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--policy\" (lmm compare --help lists the options)"],
  ])('compare %j: exit 2, one line, nothing written', async (args, message) => {
    // With -o, to see that no page is left either; --jobs 1 unless the case is about --jobs.
    const r = await compare([...args, '-o', 'page.html', ...(args.includes('--jobs') ? [] : ['--jobs', '1'])]);
    expect(r).toEqual({ code: 2, signal: null, stdout: '', stderr: `lmm: ${message}\n` });
    expect(readdirSync(tmp).sort()).toEqual(INPUTS);
  });

  it('a trace that cannot be read fails the whole command as lmm run reports it: exit 2, nothing printed, no page', async () => {
    const run = await lmmInProcess(['run', 'bad.jsonl'], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^lmm: bad\.jsonl:3: [^\n]+\n$/);
    for (const args of [
      ['t1.jsonl', 'bad.jsonl', 't1.jsonl'],
      ['bad.jsonl', '--families', 'single,pow2'],
      ['t1.jsonl', 'bad.jsonl', 'empty.jsonl'],
    ]) {
      expect(await compare([...args, '-o', 'page.html', '--jobs', '1']), args.join(' ')).toEqual({ code: 2, signal: null, stdout: '', stderr: run.stderr });
      expect(readdirSync(tmp).sort()).toEqual(INPUTS);
    }
    // The first failure in row order is the one reported.
    expect(await compare(['empty.jsonl', 'bad.jsonl', '--jobs', '1'])).toEqual({ code: 2, signal: null, stdout: '', stderr: 'lmm: empty.jsonl: empty file\n' });
    expect(await compare(['t1.jsonl', 'missing.jsonl', '--json', '--jobs', '1'])).toEqual({ code: 2, signal: null, stdout: '', stderr: 'lmm: missing.jsonl: no such file\n' });
  });
});
