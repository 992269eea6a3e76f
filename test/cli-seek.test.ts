/**
 * The seekable log through the real CLI: `lmm run --facts LOG` writes `LOG.idx` beside the log,
 * and `show`/`stats --at` then answer from it — the same as folding the log up to that
 * command, at 0, at the end and anywhere between, across a policy switch too; a log without
 * an index gets one on first read; a stale index is rebuilt without a word; where the
 * directory cannot be written, the index is built in memory and a note says so, after the
 * output. The log's facts are the same with or without the index.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpJson, statsOf, type Stats } from '@lmm/core';
import type { RunPeak } from '@lmm/events';
import { foldLog, LogIndex } from '@lmm/replay';
import { lmmSync } from '@lmm/testkit';
import { lmmInProcess } from '../packages/cli/test/lmmInProcess.js';
import { writeTrace } from '../bench/genTrace.js';
import { csvRow } from '../packages/cli/src/statsCommand.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-cli-seek-'));
afterAll(() => {
  if (existsSync(join(tmp, 'ro'))) chmodSync(join(tmp, 'ro'), 0o755);
  rmSync(tmp, { recursive: true, force: true });
});

const COMMANDS = 30_000;
// In process (runCli on the sources): what a command prints and writes. Standard input and output stay in a child process.
const lmm = (...args: string[]) => lmmInProcess(args, { cwd: tmp });

beforeAll(async () => {
  await writeTrace(join(tmp, 't.jsonl'), COMMANDS, 3000, 5);
  const run = await lmm('run', 't.jsonl', '--facts', 't.log', '--policy', 'best-fit', '--switch', '12345:address-first-fit');
  expect({ status: run.code, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
}, 120_000);

/** The state dump and stats JSON after command `at`, by folding the log (no index). */
async function folded(log: string, at: number): Promise<{ dump: string; stats: unknown; total: Stats; peak: RunPeak }> {
  const f = await foldLog(join(tmp, log), { to: at });
  const s = statsOf(f.state);
  const { liveBytes, heapBytes, utilization } = f.peak;
  return { dump: dumpJson(f.state), stats: { total: s.total, families: s.families, peak: { liveBytes, heapBytes, utilization } }, total: s.total, peak: f.peak };
}

describe('lmm run --facts writes LOG.idx; show and stats seek', () => {
  it('the index is there, whole and of the log, with checkpoints every few thousand commands', async () => {
    expect(existsSync(join(tmp, 't.log.idx'))).toBe(true);
    const index = await LogIndex.openFile(join(tmp, 't.log.idx'));
    await index.matches(join(tmp, 't.log'));
    expect(index.trailer.summary.commands).toBe(COMMANDS);
    expect(index.trailer.checkpoints.length).toBeGreaterThan(1);
    expect(index.trailer.checkpoints.at(-1)!.cmd).toBe(COMMANDS);
    await index.close();
  });

  it('show --at and stats --at, at 0, at the end and between, equal folding up to that command; no note', async () => {
    for (const at of [0, 1, 4096, 12_345, 12_346, 17_777, COMMANDS - 1, COMMANDS]) {
      const expected = await folded('t.log', at);
      const show = await lmm('show', 't.log', '--at', String(at), '--json');
      expect({ at, status: show.code, stderr: show.stderr }).toEqual({ at, status: 0, stderr: '' });
      expect(show.stdout).toBe(`${expected.dump}\n`);
      const stats = await lmm('stats', 't.log', '--at', String(at), '--json');
      expect(JSON.parse(stats.stdout)).toEqual(expected.stats);
    }
    const end = await lmm('show', 't.log', '--json');
    expect(end.stdout).toBe(`${(await folded('t.log', COMMANDS)).dump}\n`);
    const past = await lmm('show', 't.log', '--at', String(COMMANDS + 1));
    expect({ status: past.code, stderr: past.stderr }).toEqual({ status: 2, stderr: `lmm: show: --at ${COMMANDS + 1} is past the end of t.log (${COMMANDS} commands)\n` });
  }, 120_000);

  it('stats --csv streams the rows folding gives', async () => {
    const csv = await lmm('stats', 't.log', '--csv', '--every', '7000');
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trimEnd().split('\n');
    expect(rows.slice(1).map((r) => Number(r.split(',')[0]))).toEqual([0, 7000, 14000, 21000, 28000, 30000]);
    const at21 = await folded('t.log', 21000);
    expect(rows[4]).toBe(csvRow(21000, at21.total, at21.peak));
  }, 180_000);

  it('a log without an index gets one on first read; a stale one is rebuilt without a word', async () => {
    writeFileSync(join(tmp, 'copy.log'), readFileSync(join(tmp, 't.log')));
    const first = await lmm('show', 'copy.log', '--at', '100', '--json');
    expect({ status: first.code, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    expect(existsSync(join(tmp, 'copy.log.idx'))).toBe(true);
    // Another log under the same name: the index is not its own.
    const other = await lmm('run', 't.jsonl', '--facts', 'other.log');
    expect(other.code).toBe(0);
    writeFileSync(join(tmp, 'copy.log'), readFileSync(join(tmp, 'other.log')));
    const again = await lmm('show', 'copy.log', '--at', '100', '--json');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${(await folded('other.log', 100)).dump}\n`);
    expect(again.stderr).toBe('');
  }, 180_000);

  it('a log on standard output gets no index, and one read from standard input is folded as it comes', async () => {
    const before = readdirSync(tmp).sort();
    const run = lmmSync(['run', 't.jsonl', '--facts', '-', '--policy', 'best-fit', '--switch', '12345:address-first-fit'], { cwd: tmp });
    expect(run.status).toBe(0);
    expect(readdirSync(tmp).sort()).toEqual(before);
    expect(run.stdout).toBe(readFileSync(join(tmp, 't.log'), 'utf8'));
    const show = lmmSync(['show', '-', '--at', '1234', '--json'], { cwd: tmp, input: run.stdout });
    expect({ status: show.status, stderr: show.stderr }).toEqual({ status: 0, stderr: '' });
    expect(show.stdout).toBe(`${(await folded('t.log', 1234)).dump}\n`);
    expect(readdirSync(tmp).sort()).toEqual(before);
  }, 180_000);

  it('where the directory cannot be written: the index is built in memory, a note says so, nothing is written', async () => {
    const ro = join(tmp, 'ro');
    mkdirSync(ro);
    writeFileSync(join(ro, 'r.log'), readFileSync(join(tmp, 't.log')));
    chmodSync(ro, 0o555);
    const mtime = statSync(ro).mtimeMs;
    const show = await lmmInProcess(['show', 'r.log', '--at', '2500', '--json'], { cwd: ro });
    expect(show.code).toBe(0);
    expect(show.stdout).toBe(`${(await folded('t.log', 2500)).dump}\n`);
    expect(show.stderr).toBe('lmm: note: r.log.idx: cannot write (the directory is read-only); the index is built in memory for this run only\n');
    expect(existsSync(join(ro, 'r.log.idx'))).toBe(false);
    expect(statSync(ro).mtimeMs).toBe(mtime);
    const bad = await lmmInProcess(['show', 'r.log', '--at', String(COMMANDS + 5)], { cwd: ro });
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  }, 180_000);
});
