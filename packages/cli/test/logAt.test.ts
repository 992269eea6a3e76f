/**
 * Opening a fact log at a command (logAt.ts): which logs are read through an index, the
 * state and peaks after a command — through the index, front to back, at a peak — against
 * values worked out by hand (statsScenario.ts, and a run whose peaks are reached twice
 * below), whether the whole log was read, the index's notes and the reader's warnings, and
 * that every file a seek opens is closed again.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsOf } from '@lmm/core';
import { foldLogAt, isSeekable, loadAtPeak, runPeakOf, stateAt } from '../src/logAt.js';
import { inUserDir } from '../src/paths.js';
import { captureIo } from './captureIo.js';
import { throughFifo } from './fifo.js';
import { lmmInProcess } from './lmmInProcess.js';
import { csvLines, STATS_CSV, STATS_TRACE, writeLog } from './statsScenario.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-logat-'));
mkdirSync(join(tmp, 'ro'));
afterAll(() => {
  chmodSync(join(tmp, 'ro'), 0o755);
  rmSync(tmp, { recursive: true, force: true });
});

/** The totals after a command as `stats --csv` writes them: liveBytes, pages and heapBytes of STATS_CSV's row `cmd`. */
const row = (cmd: number) => {
  const cells = STATS_CSV[cmd + 1]!.split(',').map(Number);
  return { pages: cells[1], heapBytes: cells[2], liveBytes: cells[6] };
};

// Layout seed, worst fit; family a is 100 bytes. The live peak (3000) is reached after
// commands 3 and 5, the heap peak (one page, 4096) after commands 2 and 10: the first counts.
const TWICE = [
  { op: 'register', family: 'a', size: 100 }, //  1
  { op: 'alloc', id: 'x1', family: 'a', units: 10 }, //  2: page 1; live 1000
  { op: 'alloc', id: 'x2', family: 'a', units: 20 }, //  3: live 3000
  { op: 'free', id: 'x2' }, //  4: live 1000
  { op: 'alloc', id: 'x3', family: 'a', units: 20 }, //  5: live 3000 again
  { op: 'free', id: 'x3' }, //  6: live 1000
  { op: 'free', id: 'x1' }, //  7: live 0, the page goes back: heap 0
  { op: 'alloc', id: 'y', family: 'a' }, //  8: page 2; live 100, heap 4096 again
];

let log = '';
let text = '';
let twice = '';
beforeAll(async () => {
  log = await writeLog(tmp, 't.log', STATS_TRACE);
  text = readFileSync(log, 'utf8');
  twice = await writeLog(tmp, 'twice.log', TWICE);
});

describe('isSeekable: a regular file is read through its index, anything else once', () => {
  it('a file, a link to one: yes; a directory, a FIFO, nothing there: no', async () => {
    symlinkSync(log, join(tmp, 'link.log'));
    expect(isSeekable(log)).toBe(true);
    expect(isSeekable(join(tmp, 'link.log'))).toBe(true);
    expect(isSeekable(tmp)).toBe(false);
    expect(isSeekable(join(tmp, 'no-such.log'))).toBe(false);
    expect(await throughFifo(join(tmp, 'fifo'), '', async () => isSeekable(join(tmp, 'fifo')))).toBe(false);
  });

  it('`-` is standard input, even where a file is named `-`', async () => {
    const dir = join(tmp, 'dash');
    mkdirSync(dir);
    writeFileSync(join(dir, '-'), text);
    await inUserDir(dir, async () => {
      expect(isSeekable('-')).toBe(false);
      expect(isSeekable('./-')).toBe(true);
    });
  });
});

describe('stateAt: the state after a command, and whether that is the whole log', () => {
  it('through the index: the end (complete), a command before it (not complete), command 0', async () => {
    for (const [at, commands, complete] of [[undefined, 10, true], [10, 10, true], [6, 6, false], [0, 0, false]] as const) {
      const io = captureIo();
      const folded = await stateAt(io, 'stats', log, at, false);
      expect({ at, commands: folded.commands, complete: folded.complete }).toEqual({ at, commands, complete });
      const total = statsOf(folded.state).total;
      expect({ pages: total.pages, heapBytes: total.heapBytes, liveBytes: total.liveBytes }).toEqual(row(commands));
      expect(io.err()).toBe('');
    }
  });

  it('at a peak through the index: the first command that reached it, with the peak so far', async () => {
    const live = await stateAt(captureIo(), 'show', twice, 'peak-live', false);
    expect({ commands: live.commands, complete: live.complete, live: statsOf(live.state).total.liveBytes }).toEqual({ commands: 3, complete: false, live: 3000 });
    expect(live.peak).toMatchObject({ liveBytes: 3000, liveCmd: 3, heapBytes: 4096, heapCmd: 2 });
  });

  it('from a pipe (front to back): the same states, complete only at the end', async () => {
    const fifo = join(tmp, 'p.log');
    for (const [at, commands, complete] of [[undefined, 10, true], [10, 10, true], [4, 4, false]] as const) {
      const folded = await throughFifo(fifo, text, () => stateAt(captureIo(), 'stats', fifo, at, false));
      expect({ at, commands: folded.commands, complete: folded.complete }).toEqual({ at, commands, complete });
      expect(statsOf(folded.state).total.liveBytes).toBe(row(commands).liveBytes);
    }
  });

  it('from a pipe at a peak: read whole, then the first command that reached it; complete when that is the last', async () => {
    const fifo = join(tmp, 'p.log');
    const heap = await throughFifo(fifo, text, () => stateAt(captureIo(), 'stats', fifo, 'peak-heap', false));
    // Heap 8192 first after command 8, live 5970 after command 9: the peaks up to command 8.
    expect({ commands: heap.commands, complete: heap.complete }).toEqual({ commands: 8, complete: false });
    expect(heap.peak).toEqual({ liveBytes: 3950, liveCmd: 5, heapBytes: 8192, pages: 2, heapCmd: 8, utilization: 3950 / 8192 });
    expect(statsOf(heap.state).total.liveBytes).toBe(3050);
    // The first nine commands: the live peak is the last command.
    const nine = text.split('\n').filter((l) => !l.includes('"cmd":10,')).join('\n');
    const live = await throughFifo(fifo, nine, () => stateAt(captureIo(), 'stats', fifo, 'peak-live', false));
    expect({ commands: live.commands, complete: live.complete }).toEqual({ commands: 9, complete: true });
  });

  it('past the end: a usage error naming the command and the length, through the index or not', async () => {
    await expect(stateAt(captureIo(), 'show', log, 11, false)).rejects.toThrow(`show: --at 11 is past the end of ${log} (10 commands)`);
    const fifo = join(tmp, 'p.log');
    await expect(throughFifo(fifo, text, () => foldLogAt(captureIo(), 'diff', fifo, 12))).rejects.toThrow(`diff: --at 12 is past the end of ${fifo} (10 commands)`);
  });
});

describe('a log whose last line was cut off, read once', () => {
  // Commands 1…9 whole; the tenth's only fact cut in the middle of its line.
  const cut = () => text.slice(0, text.lastIndexOf('"type"'));

  it('front to back: a warning, the state after the last whole command; --strict refuses it', async () => {
    const fifo = join(tmp, 'c.log');
    const io = captureIo();
    const folded = await throughFifo(fifo, cut(), () => foldLogAt(io, 'stats', fifo, undefined));
    expect(folded.commands).toBe(9);
    expect(io.err()).toMatch(/^lmm: warning: .*c\.log:13: /);
    await expect(throughFifo(fifo, cut(), () => foldLogAt(captureIo(), 'stats', fifo, undefined, { strict: true }))).rejects.toThrow(/c\.log:13: /);
  });

  it('at a peak: the same warning; --strict refuses it', async () => {
    const fifo = join(tmp, 'c.log');
    const io = captureIo();
    const folded = await throughFifo(fifo, cut(), () => foldLogAt(io, 'stats', fifo, 'peak-live'));
    expect(folded.commands).toBe(9);
    expect(io.err()).toMatch(/^lmm: warning: .*c\.log:13: /);
    await expect(throughFifo(fifo, cut(), () => foldLogAt(captureIo(), 'stats', fifo, 'peak-live', { strict: true }))).rejects.toThrow(/c\.log:13: /);
  });
});

describe('loadAtPeak and runPeakOf: the first command each peak was reached at', () => {
  it('a run whose peaks are reached twice: commands 3 and 2, not 5 and 8', async () => {
    const io = captureIo();
    expect((await loadAtPeak(io, 'show', twice, 'peak-live', false)).cmd).toBe(3);
    const { log: replay, cmd } = await loadAtPeak(io, 'show', twice, 'peak-heap', false);
    expect(cmd).toBe(2);
    expect(runPeakOf(replay, 8)).toEqual({ liveBytes: 3000, heapBytes: 4096, pages: 1, utilization: 3000 / 4096, liveCmd: 3, heapCmd: 2 });
  });

  it('over the first commands only: up to 2, 1 and 0', async () => {
    const replay = (await loadAtPeak(captureIo(), 'show', twice, 'peak-live', false)).log;
    expect(runPeakOf(replay, 2)).toEqual({ liveBytes: 1000, heapBytes: 4096, pages: 1, utilization: 1000 / 4096, liveCmd: 2, heapCmd: 2 });
    // No page yet: utilization 0, not 0/0.
    expect(runPeakOf(replay, 1)).toEqual({ liveBytes: 0, heapBytes: 0, pages: 0, utilization: 0, liveCmd: 0, heapCmd: 0 });
    expect(runPeakOf(replay, 0)).toEqual({ liveBytes: 0, heapBytes: 0, pages: 0, utilization: 0, liveCmd: 0, heapCmd: 0 });
  });

  it('two pages of 2048 bytes: heapBytes is pages × page size', async () => {
    // Layout 2048:0:16: a 2500-byte block of family b (1-byte units) is over maxAlloc 2032, a
    // large block in one run of ceil((16 + 2500) / 2048) = 2 pages: 4096 heap bytes.
    writeFileSync(join(tmp, 'big.jsonl'), '{"op":"register","family":"b","size":1}\n{"op":"alloc","id":"z","family":"b","units":2500}\n');
    const r = await lmmInProcess(['run', 'big.jsonl', '--layout', '2048:0:16', '--facts', 'big.log'], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const replay = (await loadAtPeak(captureIo(), 'show', join(tmp, 'big.log'), 'peak-heap', false)).log;
    expect(runPeakOf(replay, 2)).toEqual({ liveBytes: 2500, heapBytes: 4096, pages: 2, utilization: 2500 / 4096, liveCmd: 2, heapCmd: 2 });
  });
});

// The first `lmm stats` of this file checks every column of --csv: with the module graph shared
// between test files (vitest isolate: false), the command's module — its table of columns —
// may be loaded here, and mutation testing then counts that table as covered by this test.
describe('the index: built when missing or not the log’s, without a word; a note when it cannot be written', () => {
  it('a stale index is rebuilt, and the answer is the log’s, with nothing on stderr', async () => {
    writeFileSync(join(tmp, 's.log'), text);
    writeFileSync(join(tmp, 's.log.idx'), readFileSync(join(tmp, 'twice.log.idx')));
    const r = await lmmInProcess(['stats', 's.log', '--at', '9', '--csv', '--every', '3'], { cwd: tmp });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${csvLines(0, 3, 6, 9).join('\n')}\n`);
  });

  it('in a read-only directory: built in memory, a note after the output, no file written', async () => {
    const ro = join(tmp, 'ro');
    writeFileSync(join(ro, 'r.log'), text);
    chmodSync(ro, 0o555);
    const r = await lmmInProcess(['stats', 'r.log', '--at', '5'], { cwd: ro });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('r.log: after command 5');
    expect(r.stderr).toBe('lmm: note: r.log.idx: cannot write (the directory is read-only); the index is built in memory for this run only\n');
    expect(existsSync(join(ro, 'r.log.idx'))).toBe(false);
  });
});

describe('every file a command opens to seek is closed when it is done', () => {
  /** The open descriptors of this process that lead to `path` or its index. */
  const openOn = (path: string) =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        const to = readlinkSync(`/proc/self/fd/${fd}`);
        return to === path || to === `${path}.idx`;
      } catch {
        return false;
      }
    });

  it.runIf(existsSync('/proc/self/fd'))('stats at a command, past the end, and --csv', async () => {
    for (const args of [['--at', '4'], ['--at', '11'], ['--csv', '--at', '3'], ['--csv', '--at', '11'], ['--csv', '--at', 'peak-live']]) {
      await lmmInProcess(['stats', 't.log', ...args], { cwd: tmp });
      expect({ args, open: openOn(log) }).toEqual({ args, open: [] });
    }
  });
});
