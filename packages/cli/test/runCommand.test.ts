/**
 * `lmm run`'s outputs in process: the fact log and its index `LOG.idx` (the index a checked
 * read of the log would build, checkpoints included), no index beside a log that is not a
 * regular file, a warning — and the log all the same — when the index cannot be written at
 * the start or at the end, and a trace of no command.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogIndex } from '@lmm/replay';
import { drainFifo } from './fifo.js';
import { lmmInProcess } from './lmmInProcess.js';
import { STATS_TRACE, writeTrace } from './statsScenario.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `lmm ARGS` in process, in the test's directory. */
const lmm = (...args: string[]) => lmmInProcess(args, { cwd: tmp });

/** The commands of each checkpoint of the index at `path`, once it is checked against its log. */
async function checkpointsOf(idx: string, log: string): Promise<{ commands: number; checkpoints: number[] }> {
  const index = await LogIndex.openFile(idx);
  try {
    await index.matches(log);
    return { commands: index.trailer.summary.commands, checkpoints: index.trailer.checkpoints.map((c) => c.cmd) };
  } finally {
    await index.close();
  }
}

describe('lmm run --facts LOG writes LOG.idx beside a log that is a regular file', () => {
  it('the index is there, of the log, as the run goes; no warning', async () => {
    writeTrace(tmp, 't.jsonl', STATS_TRACE);
    const r = await lmm('run', 't.jsonl', '--facts', 't.log');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await checkpointsOf(join(tmp, 't.log.idx'), join(tmp, 't.log'))).toEqual({ commands: 10, checkpoints: [10] });
  });

  it('a long run: the checkpoints are those a checked read of the log puts in its index', async () => {
    // 12 000 commands of about 130 bytes of log each: past the 1 MiB a checkpoint waits for,
    // at a multiple of 1024 commands, so the run's batches must end there.
    const commands: unknown[] = [{ op: 'register', family: 'c', size: 16 }];
    for (let i = 1; commands.length < 12_000; i++) commands.push({ op: 'alloc', id: `k${i}`, family: 'c', units: 1 + (i % 13) }, { op: 'free', id: `k${i - 1}` });
    writeTrace(tmp, 'long.jsonl', commands);
    const r = await lmm('run', 'long.jsonl', '--facts', 'long.log');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    copyFileSync(join(tmp, 'long.log'), join(tmp, 'copy.log'));
    expect((await lmm('stats', 'copy.log', '--json')).code).toBe(0);
    const built = await checkpointsOf(join(tmp, 'copy.log.idx'), join(tmp, 'copy.log'));
    expect(built.checkpoints.length).toBeGreaterThan(1);
    expect(built.checkpoints.slice(0, -1).every((c) => c % 1024 === 0)).toBe(true);
    expect(await checkpointsOf(join(tmp, 'long.log.idx'), join(tmp, 'long.log'))).toEqual(built);
  }, 30_000);

  it('a log written into a named pipe gets no index', async () => {
    writeTrace(tmp, 'f.jsonl', STATS_TRACE);
    const { result, text } = await drainFifo(join(tmp, 'f.log'), () => lmm('run', 'f.jsonl', '--facts', 'f.log'));
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(text).toBe(readFileSync(join(tmp, 't.log'), 'utf8'));
    expect(existsSync(join(tmp, 'f.log.idx'))).toBe(false);
  });
});

describe('an index that cannot be written: a warning, the log all the same', () => {
  it('when its file cannot be made at the start (the name of its temporary file is taken by a directory)', async () => {
    writeTrace(tmp, 'a.jsonl', STATS_TRACE);
    mkdirSync(join(tmp, `.a.log.idx.${process.pid}.tmp`));
    const r = await lmm('run', 'a.jsonl', '--facts', 'a.log');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^lmm: warning: a\.log\.idx: cannot write \(.+\); the log's index will be built when it is first read\n$/);
    expect(r.stdout).toMatch(/^lmm run a\.jsonl: 10 commands, 12 facts /);
    expect(readFileSync(join(tmp, 'a.log'), 'utf8')).toBe(readFileSync(join(tmp, 't.log'), 'utf8'));
    expect(existsSync(join(tmp, 'a.log.idx'))).toBe(false);
  });

  it('when it cannot be put in place at the end (a directory holds its name)', async () => {
    writeTrace(tmp, 'b.jsonl', STATS_TRACE);
    mkdirSync(join(tmp, 'b.log.idx'));
    writeFileSync(join(tmp, 'b.log.idx', 'keep'), '');
    const r = await lmm('run', 'b.jsonl', '--facts', 'b.log');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^lmm: warning: b\.log\.idx: cannot write \(.+\); the log is written, and its index will be built when it is first read\n$/);
    expect(readFileSync(join(tmp, 'b.log'), 'utf8')).toBe(readFileSync(join(tmp, 't.log'), 'utf8'));
  });
});

it('a trace of no command (a comment alone): a run of 0 commands, and a log of its header alone with its index', async () => {
  writeFileSync(join(tmp, 'empty.jsonl'), '# no command\n');
  const r = await lmm('run', 'empty.jsonl', '--format', 'jsonl', '--facts', 'empty.log', '--json');
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(r.stdout)).toMatchObject({ commands: 0, facts: 0, rejected: {}, peak: { liveBytes: 0, heapBytes: 0, utilization: 0 } });
  expect(readFileSync(join(tmp, 'empty.log'), 'utf8').split('\n')).toEqual([readFileSync(join(tmp, 't.log'), 'utf8').split('\n')[0], '']);
  expect(await checkpointsOf(join(tmp, 'empty.log.idx'), join(tmp, 'empty.log'))).toMatchObject({ commands: 0 });
});
