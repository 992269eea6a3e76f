/**
 * `lmm stats` in process, against the statistics of a small run worked out by hand
 * (statsScenario.ts): the text form, `--json`, `--csv` with `--every` and `--at` (a number,
 * a peak), from a log file read through its index, from a log the index refuses, and from a
 * named pipe read once; the usage errors. This file does not import the command's module, so
 * its table of columns is built inside whichever test first runs `stats` (test files share
 * one module graph): the first `stats` of each file here checks every column.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/runCli.js';
import { throughFifo } from './fifo.js';
import { lmmInProcess } from './lmmInProcess.js';
import { csvLines, STATS_CSV, STATS_TRACE, writeLog, writeTrace } from './statsScenario.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-stats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `lmm ARGS` in process, in the test's directory. */
const lmm = (...args: string[]) => lmmInProcess(args, { cwd: tmp });

/** The lines of a command's standard output. */
const lines = (stdout: string) => stdout.trimEnd().split('\n');

let logText = '';
beforeAll(async () => {
  await writeLog(tmp, 't.log', STATS_TRACE);
  logText = readFileSync(join(tmp, 't.log'), 'utf8');
});

describe('lmm stats --csv of a log file', () => {
  it('every command: the header and the hand-checked row of each command, 0 to the end', async () => {
    const r = await lmm('stats', 't.log', '--csv');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${STATS_CSV.join('\n')}\n`);
  });

  it('--every N: commands 0, N, 2N, … and the last one, once (also when the last is a multiple of N)', async () => {
    expect(lines((await lmm('stats', 't.log', '--csv', '--every', '3')).stdout)).toEqual(csvLines(0, 3, 6, 9, 10));
    expect(lines((await lmm('stats', 't.log', '--csv', '--every', '5')).stdout)).toEqual(csvLines(0, 5, 10));
    expect(lines((await lmm('stats', 't.log', '--csv', '--every', '100')).stdout)).toEqual(csvLines(0, 10));
  });

  it('--at N stops at command N; --at 0 is the header and the empty heap', async () => {
    expect(lines((await lmm('stats', 't.log', '--csv', '--at', '7', '--every', '2')).stdout)).toEqual(csvLines(0, 2, 4, 6, 7));
    expect(lines((await lmm('stats', 't.log', '--csv', '--at', '0')).stdout)).toEqual(csvLines(0));
  });

  it('--at peak-heap / peak-live: the rows up to the first command that reached the peak', async () => {
    // Heap: 8192 bytes first after command 8 (and still after 9 and 10); live: 5970 after command 9.
    expect(lines((await lmm('stats', 't.log', '--csv', '--at', 'peak-heap', '--every', '3')).stdout)).toEqual(csvLines(0, 3, 6, 8));
    expect(lines((await lmm('stats', 't.log', '--csv', '--at', 'peak-live', '--every', '4')).stdout)).toEqual(csvLines(0, 4, 8, 9));
  });

  it('a log of no command: the header and command 0', async () => {
    writeFileSync(join(tmp, 'empty.log'), `${logText.split('\n')[0]}\n`);
    const r = await lmm('stats', 'empty.log', '--csv', '--every', '2');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout)).toEqual(csvLines(0));
  });

  it('--at past the end: exit 2, one line naming the command, the log and its length; no row', async () => {
    const r = await lmm('stats', 't.log', '--csv', '--at', '11');
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'lmm: stats: --at 11 is past the end of t.log (10 commands)\n' });
  });

  it('a long log is written a few thousand rows at a time: 4096 lines a write, never one write per row, no empty line', async () => {
    // 1 register, then 8189 commands (an alloc and a free in turn): 8190 commands, so the
    // header, command 0 and 8190 rows are 8192 lines, two full writes and nothing after them.
    const big = [{ op: 'register', family: 'b', size: 8 }, ...Array.from({ length: 8189 }, (_, i) => (i % 2 === 0 ? { op: 'alloc', id: 'x', family: 'b', units: 1 + (i % 7) } : { op: 'free', id: 'x' }))];
    await writeLog(tmp, 'big.log', big);
    const writes: string[] = [];
    let stderr = '';
    const code = await runCli(['stats', 'big.log', '--csv'], { stdout: { write: (t: string) => writes.push(t) }, stderr: { write: (t: string) => (stderr += t) } }, { cwd: tmp });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(writes.map((w) => w.split('\n').length - 1)).toEqual([4096, 4096]);
    const rows = writes.join('').split('\n');
    expect(rows.at(-1)).toBe('');
    expect(rows.slice(1, -1).map((row) => Number(row.split(',')[0]))).toEqual(Array.from({ length: 8191 }, (_, i) => i));
    // Each alloc takes a page of its own (8…56 bytes in it), each free gives it back: command
    // 8189 is a free (an empty heap), command 8190 an alloc (one page).
    expect(rows.at(-3)!.split(',').slice(0, 3)).toEqual(['8189', '0', '0']);
    expect(rows.at(-2)!.split(',').slice(0, 3)).toEqual(['8190', '1', '4096']);
    // Past its end: the index says so before any row is written (none of the 4096 a fold would write first).
    const past = await lmm('stats', 'big.log', '--csv', '--at', '9000');
    expect(past).toMatchObject({ code: 2, stdout: '', stderr: 'lmm: stats: --at 9000 is past the end of big.log (8190 commands)\n' });
  });
});

describe('lmm stats: text and --json', () => {
  it('the end: the heading says so; the table of the final state; the peak line', async () => {
    const r = await lmm('stats', 't.log');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const out = lines(r.stdout);
    expect(out[0]).toBe('t.log: after command 10 (the end)');
    expect(out[2]!.split(/\s+/)).toEqual(['a', '10', '2', '7', '4', '3', '3134', '3050', '4946', '0', '6', '2940', '40.6%', '37.2%', '2', '1']);
    // 5970 / 8192 = 72.88 %.
    expect(out.at(-1)).toBe('peak over commands 1…10: 5970 live bytes in 8192 heap bytes (peak utilization 72.9%)');
  });

  it('--at N: the heading names the command alone; the peak is over commands 1…N', async () => {
    const r = await lmm('stats', 't.log', '--at', '9');
    const out = lines(r.stdout);
    expect(out[0]).toBe('t.log: after command 9');
    expect(out[2]!.split(/\s+/).slice(0, 12)).toEqual(['a', '10', '2', '7', '3', '4', '6082', '5970', '2006', '20', '6', '1000']);
    const at8 = lines((await lmm('stats', 't.log', '--at', '8')).stdout);
    // 3950 / 8192 = 48.22 %.
    expect(at8.at(-1)).toBe('peak over commands 1…8: 3950 live bytes in 8192 heap bytes (peak utilization 48.2%)');
  });

  it('--at peak-heap: the heading names the peak and the command', async () => {
    expect(lines((await lmm('stats', 't.log', '--at', 'peak-heap')).stdout)[0]).toBe('t.log: after command 8 (peak-heap)');
  });

  it('--json --at 6: the totals of the hand-checked row, the family, and the peak over 1…6', async () => {
    const r = await lmm('stats', 't.log', '--json', '--at', '6');
    const out = JSON.parse(r.stdout) as { total: Record<string, number>; families: { name: string }[]; peak: unknown };
    expect(out.total).toMatchObject({ pages: 1, heapBytes: 4096, tbc: 5, fbc: 2, obc: 3, liveBytes: 2950, appMemUsage: 3034, freeBytes: 1006, hardFragBytes: 0, softFragBytes: 6, largestFree: 1000, pageRequests: 1, avoidableGrowth: 0 });
    expect(out.total.externalFrag).toBeCloseTo(6 / 1006, 12);
    expect(out.families.map((f) => f.name)).toEqual(['a']);
    expect(out.peak).toEqual({ liveBytes: 3950, heapBytes: 4096, utilization: 3950 / 4096 });
  });
});

describe('lmm stats: a log its index cannot be built for', () => {
  // Command 9's Allocated fact with a gap of 24, not the 20 worst fit leaves: refused from line 12.
  const bad = () => {
    writeFileSync(join(tmp, 'bad.log'), logText.replace('"gap":20', '"gap":24'));
    return 'bad.log';
  };

  it('--csv up to a command before the fault: the rows, as from a sound log', async () => {
    const r = await lmm('stats', bad(), '--csv', '--at', '8', '--every', '4');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout)).toEqual(csvLines(0, 4, 8));
  });

  it('--csv to the end, or to a peak (known only at the end): refused, exit 2 naming the line, no row', async () => {
    for (const extra of [[], ['--at', 'peak-live']]) {
      const r = await lmm('stats', bad(), '--csv', ...extra);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^lmm: bad\.log:12: /);
      expect(lines(r.stderr)).toHaveLength(1);
    }
  });

  it('text and --json up to a command before the fault: answered', async () => {
    const r = await lmm('stats', bad(), '--at', '5');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(r.stdout)[0]).toBe('bad.log: after command 5');
  });
});

describe('lmm stats: a log whose last line was cut off', () => {
  // The log without its last line's end: commands 1…9 are whole.
  const cut = () => {
    writeFileSync(join(tmp, 'cut.log'), logText.slice(0, logText.lastIndexOf('"type"')));
    return 'cut.log';
  };

  it('--csv: read up to the last whole command, with a warning; --strict refuses it', async () => {
    const r = await lmm('stats', cut(), '--csv', '--every', '4');
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(csvLines(0, 4, 8, 9));
    expect(r.stderr).toMatch(/^lmm: warning: cut\.log:13: /);
    const strict = await lmm('stats', cut(), '--csv', '--strict');
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toMatch(/^lmm: cut\.log:13: /);
  });
});

describe('lmm stats of a log read once, from a named pipe', () => {
  const fifo = (...args: string[]) => throughFifo(join(tmp, 'p.log'), logText, () => lmm('stats', 'p.log', ...args));

  it('--csv, every command and every N', async () => {
    expect((await fifo('--csv')).stdout).toBe(`${STATS_CSV.join('\n')}\n`);
    expect(lines((await fifo('--csv', '--every', '4', '--at', '9')).stdout)).toEqual(csvLines(0, 4, 8, 9));
  });

  it('--csv --at a peak: the log is read whole, then the rows up to the peak are the same', async () => {
    const heap = await fifo('--csv', '--at', 'peak-heap', '--every', '3');
    expect({ code: heap.code, stderr: heap.stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(heap.stdout)).toEqual(csvLines(0, 3, 6, 8));
    expect(lines((await fifo('--csv', '--at', 'peak-live')).stdout)).toEqual(csvLines(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
  });

  it('text at a peak and at a command; --at past the end is a usage error once the log is read', async () => {
    expect(lines((await fifo('--at', 'peak-heap')).stdout)[0]).toBe('p.log: after command 8 (peak-heap)');
    const live = lines((await fifo('--at', 'peak-live')).stdout);
    expect(live[0]).toBe('p.log: after command 9 (peak-live)');
    expect(live.at(-1)).toBe('peak over commands 1…9: 5970 live bytes in 8192 heap bytes (peak utilization 72.9%)');
    expect(lines((await fifo('--at', '4')).stdout)[0]).toBe('p.log: after command 4');
    const past = await fifo('--at', '11');
    expect(past).toMatchObject({ code: 2, stdout: '', stderr: 'lmm: stats: --at 11 is past the end of p.log (10 commands)\n' });
    const csvPast = await fifo('--csv', '--at', '12');
    expect(csvPast).toMatchObject({ code: 2, stdout: '', stderr: 'lmm: stats: --at 12 is past the end of p.log (10 commands)\n' });
  });
});

describe('lmm stats: usage errors are exit 2 and one line, nothing on stdout', () => {
  it.each<[string[], string]>([
    [['--csv', '--json'], 'lmm: stats: --csv and --json are two different outputs; choose one\n'],
    [['--csv', '--every', '0'], "lmm: --every: '0' is not an integer ≥ 1\n"],
    [['--every', '2'], 'lmm: stats: --every goes with --csv\n'],
  ])('stats t.log %j', async (args, stderr) => {
    expect(await lmm('stats', 't.log', ...args)).toMatchObject({ code: 2, stdout: '', stderr });
  });
});

it('a trace is not a log: one line naming its first line', async () => {
  writeTrace(tmp, 'trace.jsonl', STATS_TRACE);
  const r = await lmm('stats', 'trace.jsonl', '--csv');
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^lmm: trace\.jsonl:1: not an lmm fact log/);
});
