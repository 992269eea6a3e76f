/**
 * The progress bar (`progress.ts`) on a fake terminal: what it draws at given byte counts and
 * times (the strings worked out by hand in the comments), when it draws (a terminal only,
 * past the delay, at most once per interval), the label alone for a stage, and the erasing
 * by `done()` and at the process's exit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as progressModule from '../src/progress.js';
import { fileProgress, Progress, type ProgressStream } from '../src/progress.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A stream that keeps what is written on it: a terminal when `isTTY` is true; without the property, as a pipe or file is. */
function stream(columns: number | undefined, isTTY?: boolean): ProgressStream & { writes: string[] } {
  const writes: string[] = [];
  return { ...(isTTY === undefined ? {} : { isTTY }), ...(columns === undefined ? {} : { columns }), writes, write: (t: string) => writes.push(t) };
}

const terminal = (columns: number | undefined): ReturnType<typeof stream> => stream(columns, true);

/** A clock the test moves. */
function clock(start: number): { now: () => number; at: (t: number) => void } {
  let t = start;
  return { now: () => t, at: (x) => (t = x) };
}

const LABEL = 'lmm run: reading t.jsonl'; // 24 characters
const ERASE = '\r\x1b[K';
const drawn = (line: string): string => `\r${line}\x1b[K`;

describe('Progress draws on a terminal', () => {
  it('after the 1 s delay, at most every 100 ms: the bar fitted to 80 columns with the time left', () => {
    const tty = terminal(80);
    const c = clock(5000);
    const bar = new Progress(LABEL, { stream: tty, now: c.now });
    expect(bar.enabled).toBe(true);
    c.at(5999);
    bar.update(1_000_000, 154_200_000);
    expect(tty.writes).toEqual([]);
    // t = 6000 (1 s in): 70.1 of 154.2 MB is 45.46 %, shown 45 %; time left 1 × (1 − 0.4546) / 0.4546 = 1.2 → 1 s.
    // The tail " 45% 70.1/154.2 MB, 1 s left" is 28 characters; the bar 80 − 1 − 24 − 3 − 28 = 24
    // wide, 0.4546 × 24 = 10.9 → 11 filled; the line is 79 characters.
    c.at(6000);
    bar.update(70_100_000, 154_200_000);
    const first = `${LABEL} [${'#'.repeat(11)}${'.'.repeat(13)}] 45% 70.1/154.2 MB, 1 s left`;
    expect(first).toHaveLength(79);
    expect(tty.writes).toEqual([drawn(first)]);
    // 50 ms later: not yet.
    c.at(6050);
    bar.update(90_000_000, 154_200_000);
    expect(tty.writes).toHaveLength(1);
    // t = 6100: 100.0 of 154.2 MB is 64.85 %; left 1.1 × 0.3515 / 0.6485 = 0.6 → 1 s; the tail is 29
    // characters, the bar 23 wide, 0.6485 × 23 = 14.9 → 15 filled.
    c.at(6100);
    bar.update(100_000_000, 154_200_000);
    expect(tty.writes[1]).toBe(drawn(`${LABEL} [${'#'.repeat(15)}${'.'.repeat(8)}] 64% 100.0/154.2 MB, 1 s left`));
    bar.done();
    expect(tty.writes.slice(2)).toEqual([ERASE]);
    // Erased once: a second done() writes nothing.
    bar.done();
    expect(tty.writes).toHaveLength(3);
  });

  it('the delay and interval given replace the defaults', () => {
    const tty = terminal(80);
    const c = clock(0);
    const bar = new Progress('x', { stream: tty, now: c.now, delayMs: 10, intervalMs: 5 });
    c.at(9);
    bar.update(1_000_000, 2_000_000);
    c.at(10);
    bar.update(1_000_000, 2_000_000);
    c.at(14);
    bar.update(1_000_000, 2_000_000);
    c.at(15);
    bar.update(2_000_000, 2_000_000);
    // At 10 ms: 50 %, left 0.01 × 0.5 / 0.5 → 0 s; at 15 ms: all done, no time left shown.
    expect(tty.writes).toEqual([drawn(`x [${'#'.repeat(20)}${'.'.repeat(20)}] 50% 1.00/2.00 MB, 0 s left`), drawn(`x [${'#'.repeat(40)}] 100% 2.00/2.00 MB`)]);
  });

  it('with the real clock and no delay, draws at once', () => {
    const tty = terminal(80);
    const bar = new Progress('x', { stream: tty, delayMs: 0 });
    bar.update(1, 2);
    // 1 byte is 0.00 MB; the time left rounds to 0 s (the update follows the constructor at once).
    expect(tty.writes).toEqual([drawn(`x [${'#'.repeat(20)}${'.'.repeat(20)}] 50% 0.00/0.00 MB, 0 s left`)]);
  });

  it.each([
    ['not a terminal', false],
    ['no isTTY at all (a pipe, a file)', undefined],
  ])('%s: nothing is drawn, staged or erased', (_what, isTTY) => {
    const pipe = stream(80, isTTY);
    expect('isTTY' in pipe).toBe(isTTY !== undefined);
    const c = clock(0);
    const bar = new Progress(LABEL, { stream: pipe, now: c.now, delayMs: 0, intervalMs: 0 });
    expect(bar.enabled).toBe(false);
    c.at(5000);
    bar.update(1, 2);
    bar.stage();
    bar.done();
    expect(pipe.writes).toEqual([]);
  });
});

describe('Progress.line', () => {
  const at = (columns: number | undefined, label = LABEL): Progress => new Progress(label, { stream: terminal(columns), now: () => 0 });

  it.each([
    // [what, done, total, t (ms), line]
    ['half done in 2 s: 2 s left; below 10 MB two decimals', 1_500_000, 3_000_000, 2000, `x [${'#'.repeat(20)}${'.'.repeat(20)}] 50% 1.50/3.00 MB, 2 s left`],
    ['9,999,999 bytes are 10.00 MB, 10,000,000 are 10.0 MB; 99.99999 % shows 99 %, 0 s left', 9_999_999, 10_000_000, 1000, `x [${'#'.repeat(40)}] 99% 10.00/10.0 MB, 0 s left`],
    ['a quarter in 3 s: 9 s left', 500_000, 2_000_000, 3000, `x [${'#'.repeat(10)}${'.'.repeat(30)}] 25% 0.50/2.00 MB, 9 s left`],
    ['nothing yet: 0 %, no time left shown', 0, 2_000_000, 1000, `x [${'.'.repeat(40)}] 0% 0.00/2.00 MB`],
    ['all of it: 100 %, no time left shown', 2_000_000, 2_000_000, 1000, `x [${'#'.repeat(40)}] 100% 2.00/2.00 MB`],
    ['more than the size (a growing file): 100 %', 3_000_000, 2_000_000, 1000, `x [${'#'.repeat(40)}] 100% 3.00/2.00 MB`],
    ['size not known (total 0): the bytes so far', 250_000, 0, 1000, 'x: 0.25 MB so far'],
    ['size not known, past 10 MB', 12_345_678, 0, 1000, 'x: 12.3 MB so far'],
  ])('%s', (_what, done, total, t, line) => {
    expect(at(80, 'x').line(done, total, t)).toBe(line);
  });

  it('no width known (undefined or 0): 80 columns', () => {
    const want = `${LABEL} [${'#'.repeat(11)}${'.'.repeat(13)}] 45% 70.1/154.2 MB, 1 s left`;
    expect(at(undefined).line(70_100_000, 154_200_000, 1000)).toBe(want);
    expect(at(0).line(70_100_000, 154_200_000, 1000)).toBe(want);
  });

  it('a wide terminal: the bar at most 40 wide', () => {
    // 0.4546 × 40 = 18.2 → 18 filled.
    expect(at(200).line(70_100_000, 154_200_000, 1000)).toBe(`${LABEL} [${'#'.repeat(18)}${'.'.repeat(22)}] 45% 70.1/154.2 MB, 1 s left`);
  });

  it('a narrow terminal: the bar at least 10 wide, the line cut to the width less one', () => {
    // 40 columns: 40 − 1 − 24 − 3 − 28 < 10, so 10 wide, 4.5 → 5 filled; the 65 characters cut to 39.
    expect(at(40).line(70_100_000, 154_200_000, 1000)).toBe(`${LABEL} [#####.....] 4`);
    expect(at(20).line(250_000, 0, 1000)).toBe(`${LABEL}: 0.25 MB so far`.slice(0, 19));
    expect(at(20).line(250_000, 0, 1000)).toBe('lmm run: reading t.');
    // Never less than one character.
    expect(at(1).line(250_000, 0, 1000)).toBe('l');
    expect(at(1).line(1, 2, 1000)).toBe('l');
  });
});

describe('Progress.stage', () => {
  it('the label alone once past the delay, cut to the width less one; erased by done()', () => {
    const tty = terminal(80);
    const c = clock(100);
    const bar = new Progress('lmm view: building the page…', { stream: tty, now: c.now });
    c.at(1099);
    bar.stage();
    expect(tty.writes).toEqual([]);
    c.at(1100);
    bar.stage();
    bar.done();
    expect(tty.writes).toEqual([drawn('lmm view: building the page…'), ERASE]);
  });

  it.each([
    [10, 'lmm view:'],
    [1, 'l'],
    [undefined, 'lmm view: building the page…'],
  ])('%s columns: %j', (columns, shown) => {
    const tty = terminal(columns);
    const bar = new Progress('lmm view: building the page…', { stream: tty, now: () => 0, delayMs: 0 });
    bar.stage();
    expect(tty.writes).toEqual([drawn(shown)]);
  });
});

describe('fileProgress', () => {
  it('its callback draws its bar, which done() erases', () => {
    const tty = terminal(80);
    const { bar, onProgress } = fileProgress('lmm diff: reading a.log', { stream: tty, now: () => 0, delayMs: 0 });
    onProgress(500_000, 0);
    bar.done();
    expect(tty.writes).toEqual([drawn('lmm diff: reading a.log: 0.50 MB so far'), ERASE]);
  });
});

describe('at the process exit', () => {
  it('the bars still drawn are erased, by one exit listener however many bars', async () => {
    // A copy of the module of its own, so that no bar drawn before has hooked the exit yet.
    const url = '../src/progress.js?exit-hook';
    const fresh = (await import(/* @vite-ignore */ url)) as typeof progressModule;
    expect(fresh.Progress).not.toBe(Progress);
    const listeners: (() => void)[] = [];
    const on = vi.spyOn(process, 'on').mockImplementation(((event: string, listener: () => void) => {
      if (event === 'exit') listeners.push(listener);
      return process;
    }) as typeof process.on);
    const streams = [terminal(80), terminal(80), terminal(80), terminal(80)];
    const bars = streams.map((tty) => new fresh.Progress('x', { stream: tty, now: () => 0, delayMs: 0, intervalMs: 0 }));
    bars[0]!.update(1, 0);
    bars[1]!.update(1, 0);
    bars[1]!.update(2, 0);
    bars[2]!.stage();
    bars[3]!.update(1, 0);
    bars[3]!.done();
    expect(on).toHaveBeenCalledTimes(1);
    expect(listeners).toHaveLength(1);
    for (const s of streams) s.writes.length = 0;
    listeners[0]!();
    // The three bars still drawn are erased; the one done already is not erased again.
    expect(streams.map((s) => s.writes)).toEqual([[ERASE], [ERASE], [ERASE], []]);
    bars[0]!.done();
    expect(streams[0]!.writes).toEqual([ERASE]);
  });
});
