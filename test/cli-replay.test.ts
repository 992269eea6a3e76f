/**
 * `lmm show`, `lmm stats` and `lmm diff` (run in process): the output forms of SPEC §5 and
 * the exit status with one `lmm: …` line on errors.
 * The progress bar is tested in process, with a fake terminal and clock.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, initialState, LAYOUTS, NO_PEAK, nextPeak, statsOf, toDump, type Policy } from '@lmm/core';
import { factLine, headerLine, makeHeader } from '@lmm/replay';
import { Progress } from '../packages/cli/src/progress.js';
import { CSV_COLUMNS } from '../packages/cli/src/statsCommand.js';
import type { LmmResult } from '@lmm/testkit';
import { lmmInProcess } from '../packages/cli/test/lmmInProcess.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const REFERENCE = join(ROOT, '..', 'shared', 'reference');
const GOLDEN = join(REFERENCE, 'golden-22.lmm64.facts.jsonl');
const tmp = mkdtempSync(join(tmpdir(), 'lmm-cli-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Result = LmmResult;

/** `lmm ARGS` in process, from the repository's root (runCli on the sources). */
function lmm(...args: string[]): Promise<Result> {
  return lmmInProcess(args);
}

/** The golden trace run under a policy, as a fact log file, with its states. */
function goldenLog(policy: Policy): { path: string; states: ReturnType<Engine['snapshot']>[] } {
  const commands = readFileSync(join(REFERENCE, 'golden-22.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
  const engine = new Engine(initialState({ layout: LAYOUTS.lmm64, policy }));
  const lines = [headerLine(makeHeader(LAYOUTS.lmm64, policy, null))];
  const states = [engine.snapshot()];
  commands.forEach((c, i) => {
    for (const f of engine.execute(c)) lines.push(factLine(lines.length, i + 1, f));
    states.push(engine.snapshot());
  });
  const path = join(tmp, `golden-${policy}.jsonl`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, states };
}

const oneErrorLine = (r: Result, pattern: RegExp) => {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
};

describe('lmm show / stats / diff', () => {
  it('print the forms of SPEC §5, and exit 2 with one line on bad input', async () => {
    const worst = goldenLog('worst-fit');
    const best = goldenLog('best-fit');
    const refStates = readFileSync(join(REFERENCE, 'golden-22.lmm64.states.jsonl'), 'utf8').trim().split('\n');
    const [showText, showJson, statsJson, statsCsv, statsText, diffJson, diffText, pastEnd, notALog, everyAlone] = await Promise.all([
      lmm('show', GOLDEN, '--at', '13'),
      lmm('show', GOLDEN, '--at', '13', '--json'),
      lmm('stats', GOLDEN, '--at', '14', '--json'),
      lmm('stats', GOLDEN, '--csv', '--every', '5'),
      lmm('stats', GOLDEN),
      lmm('diff', worst.path, best.path, '--json'),
      lmm('diff', worst.path, best.path),
      lmm('show', GOLDEN, '--at', '25'),
      lmm('stats', join(REFERENCE, 'golden-22.jsonl')),
      lmm('stats', GOLDEN, '--every', '3'),
    ]);

    // show: a picture of the heap, and the state dump of the reference after command 13.
    expect(showText.code).toBe(0);
    expect(showText.stdout).toContain('after command 13');
    expect(showText.stdout).toMatch(/^family a_t \(24 B structs\): 1 page, 5 blocks \(3 allocated, 2 free\)/m);
    expect(showText.stdout).toMatch(/^ {6} +312 +3648 +allocated +"a5"$/m);
    expect(showText.stdout).toContain('free queue (2): 1:96=96 1:4008=40');
    expect(showJson.code).toBe(0);
    expect(JSON.parse(showJson.stdout)).toEqual((JSON.parse(refStates[12]!) as { state: unknown }).state);

    // stats --json: total, families and the peak over commands 1…14.
    expect(statsJson.code).toBe(0);
    const s14 = statsOf(worst.states[14]!);
    const peak = worst.states.slice(1, 15).reduce(nextPeak, NO_PEAK);
    expect(JSON.parse(statsJson.stdout)).toEqual({ total: s14.total, families: s14.families, peak });

    // stats --csv --every 5: a header, then commands 0, 5, …, 20 and the last (24).
    const rows = statsCsv.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('cmd,pages,heapBytes,tbc,fbc,obc,liveBytes,appMemUsage,freeBytes,hardFragBytes,softFragBytes,largestFree,externalFrag,utilization,peakLiveBytes,peakHeapBytes,peakUtilization,pageRequests,avoidableGrowth');
    expect(CSV_COLUMNS.join(',')).toBe(rows[0]);
    expect(rows.slice(1).map((r) => Number(r.split(',')[0]))).toEqual([0, 5, 10, 15, 20, 24]);
    const row15 = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, Number(rows[4]!.split(',')[i])]));
    const s15 = statsOf(worst.states[15]!).total;
    expect(row15).toMatchObject({ cmd: 15, pages: s15.pages, liveBytes: s15.liveBytes, hardFragBytes: s15.hardFragBytes, tbc: s15.tbc, pageRequests: s15.pageRequests, avoidableGrowth: s15.avoidableGrowth });
    expect(statsText.code).toBe(0);
    expect(statsText.stdout).toMatch(/^total +0 +0 +0 +0 /m);
    expect(statsText.stdout).toMatch(/peak over commands 1…24: 8096 live bytes in 12288 heap bytes/);

    // diff: worst and best fit part at command 9 (a4 goes into the hole under best fit).
    expect(diffJson.code).toBe(0);
    const d = JSON.parse(diffJson.stdout) as { firstDivergence: { cmd: number; a: { offset: number }; b: { offset: number } }; changes: { kind: string }[] };
    expect(Object.keys(d)).toEqual(['firstDivergence', 'changes']);
    expect(d.firstDivergence).toMatchObject({ cmd: 9, a: { seq: 11, cmd: 9, type: 'Allocated', id: 'a4', offset: 240 }, b: { seq: 11, cmd: 9, offset: 96 } });
    expect(d.changes[0]).toEqual({ kind: 'setting', field: 'policy', a: 'worst-fit', b: 'best-fit' });
    expect(d.changes.map((c) => c.kind)).toContain('block-changed');
    expect(diffText.stdout).toContain('the fact logs part at command 9:');
    expect(diffText.stdout).toContain('a_t page 1 @96: free 24 B → "a4" 24 B');

    // Errors: one line, exit 2, nothing on stdout.
    oneErrorLine(pastEnd, /^lmm: show: --at 25 is past the end of .*golden-22\.lmm64\.facts\.jsonl \(24 commands\)$/m);
    oneErrorLine(notALog, /^lmm: .*golden-22\.jsonl:1: not an lmm fact log/);
    oneErrorLine(everyAlone, /^lmm: stats: --every goes with --csv$/m);
  });

  it('a log whose facts are not what decide gives: exit 2 naming file and line', async () => {
    const bad = readFileSync(GOLDEN, 'utf8').replace('"offset":312,"size":3648', '"offset":316,"size":3648');
    writeFileSync(join(tmp, 'bad.jsonl'), bad);
    const line = bad.split('\n').findIndex((l) => l.includes('"offset":316')) + 1;
    const diff = await lmm('diff', GOLDEN, join(tmp, 'bad.jsonl'));
    oneErrorLine(diff, new RegExp(`^lmm: .*bad\\.jsonl:${line}: command 11: Allocated fact has offset 316, but worst-fit gives 312 for alloc "a5" `));
  });
});

describe('Progress', () => {
  const terminal = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY, columns: 100, write: (t: string) => void out.push(t) } };
  };

  it('draws nothing for the first second, then at most every 100 ms, and erases itself', () => {
    const { out, stream } = terminal(true);
    let now = 0;
    const bar = new Progress('lmm run: reading t.jsonl', { stream, now: () => now });
    for (now = 0; now < 1000; now += 10) bar.update(now, 4e6);
    expect(out).toEqual([]);
    for (now = 1000; now <= 1500; now += 10) bar.update(now * 1000, 4e6);
    expect(out).toHaveLength(6);
    expect(out[0]).toBe('\rlmm run: reading t.jsonl [##########..............................] 25% 1.00/4.00 MB, 3 s left\x1b[K');
    bar.done();
    expect(out.at(-1)).toBe('\r\x1b[K');
    bar.done();
    expect(out).toHaveLength(7);
  });

  it('never draws when stderr is not a terminal', () => {
    const { out, stream } = terminal(false);
    let now = 0;
    const bar = new Progress('x', { stream, now: () => now });
    for (now = 0; now < 5000; now += 50) bar.update(now, 5000);
    bar.done();
    expect(out).toEqual([]);
  });

  it('fits a narrow terminal', () => {
    const bar = new Progress('lmm stats: reading a-rather-long-file-name.jsonl', { stream: { isTTY: true, columns: 50, write: () => 0 } });
    expect(bar.line(5e5, 1e6, 2000).length).toBeLessThanOrEqual(49);
  });
});

// The states the CLI prints are the engine's: a sanity check of the helper used above.
it('goldenLog reproduces the reference states', () => {
  const refStates = readFileSync(join(REFERENCE, 'golden-22.lmm64.states.jsonl'), 'utf8').trim().split('\n');
  expect(goldenLog('worst-fit').states.slice(1).map((s, i) => JSON.stringify({ cmd: i + 1, state: toDump(s) }))).toEqual(refStates);
});
