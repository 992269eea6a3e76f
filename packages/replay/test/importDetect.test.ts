/**
 * `--format auto` and readTrace as one entry point: the format is told by the first
 * meaningful line, auto reads every format exactly as naming it does, traces stream in
 * batches, and `lmm run` reads valgrind and malloc-lab traces end to end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUTS } from '@lmm/core';
import { detectFormat, InputError, readTrace, type ReadTraceOptions, type TraceCommand } from '@lmm/replay';
import { LMM_BIN } from '@lmm/testkit';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SHARED = join(ROOT, '..', 'shared');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'traces');
const tmp = mkdtempSync(join(tmpdir(), 'lmm-detect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const chunk = (...text: string[]) => ({ first: 10, text, unterminated: false });

async function batches(file: string, options: Partial<ReadTraceOptions> = {}): Promise<TraceCommand[][]> {
  const out: TraceCommand[][] = [];
  for await (const batch of readTrace(file, { layout: LAYOUTS.seed, ...options })) out.push(batch);
  return out;
}

describe('detectFormat', () => {
  it.each([
    [['==10086== Memcheck, a memory error detector'], 'valgrind'],
    [['', '--10086-- malloc(5) = 0x4A40040'], 'valgrind'],
    [['{"op":"register","family":"emp_t","size":36}'], 'jsonl'],
    [['# a comment', '  ', '[1,2]'], 'jsonl'],
    [['20000'], 'rep'],
    [['', '0 4 11 1'], 'rep'],
    [['', '   ', '# only comments'], undefined],
    [[], undefined],
  ])('%j → %s', (text, format) => {
    expect(detectFormat(chunk(...text), 'f')).toBe(format);
  });

  it('refuses a first line of no known format, naming it', () => {
    expect(() => detectFormat(chunk('', 'hello world'), 'f.txt')).toThrow(new InputError('f.txt', 11, 'cannot tell the trace format from this line (not a JSON command, a valgrind log line or a malloc-lab header; use --format): hello world'));
  });
});

describe('readTrace --format auto', () => {
  it.each([
    [join(SHARED, 'traces', 'gcc-driver.valgrind.log'), 'valgrind'],
    [join(FIXTURES, 'short1.rep'), 'rep'],
    [join(FIXTURES, 'realloc-oneline.rep'), 'rep'],
    [join(SHARED, 'reference', 'golden-22.jsonl'), 'jsonl'],
  ] as const)('reads %s exactly as --format %s does, in any chunk size', async (file, format) => {
    const named = (await batches(file, { format, families: 'pow2' })).flat();
    expect(named.length).toBeGreaterThan(5);
    expect((await batches(file, { families: 'pow2' })).flat()).toEqual(named);
    expect((await batches(file, { families: 'pow2', chunkBytes: 64 })).flat()).toEqual(named);
  });

  it('looks past chunks of blank lines and comments, keeping line numbers', async () => {
    const file = join(tmp, 'late.rep');
    writeFileSync(file, `${'\n'.repeat(300)}# made by hand\n0 1 1 1\na 0 8\n`);
    expect((await batches(file, { chunkBytes: 32 })).flat()).toEqual([
      { command: { op: 'register', family: 'heap', size: 1 }, line: 303 },
      { command: { op: 'alloc', id: '0', family: 'heap', units: 8 }, line: 303 },
    ]);
  });

  it('reads an empty or blank file as a trace of no commands', async () => {
    const file = join(tmp, 'empty.trace');
    writeFileSync(file, '\n\n# nothing\n');
    expect(await batches(file)).toEqual([]);
  });

  it('names the file and line it cannot tell the format of', async () => {
    const file = join(tmp, 'what.txt');
    writeFileSync(file, '\nmalloc says hello\n');
    await expect(batches(file, { displayName: 'what.txt' })).rejects.toThrow(/^what\.txt:2: cannot tell the trace format/);
  });

  it('a valgrind log read as another format is an InputError at its first line', async () => {
    const file = join(SHARED, 'traces', 'sort.valgrind.log');
    await expect(batches(file, { format: 'rep', displayName: 'sort.log' })).rejects.toThrow(/^sort\.log:1: malloc-lab header/);
    await expect(batches(file, { format: 'jsonl', displayName: 'sort.log' })).rejects.toThrow(/^sort\.log:1: not valid JSON/);
  });

  it('a malformed JSONL line is an InputError at its line, whether named or detected', async () => {
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(file, '# trace\n{"op":"register","family":"a","size":8}\n\n{"op":"alloc",\n{"op":"free","id":"x"}\n');
    for (const format of ['jsonl', 'auto'] as const) {
      await expect(batches(file, { format, displayName: 'bad.jsonl' })).rejects.toThrow(new InputError('bad.jsonl', 4, 'not valid JSON: {"op":"alloc",'));
    }
  });

  it('streams: one batch per chunk of lines read, in line order', async () => {
    const all = await batches(join(SHARED, 'traces', 'python-json-pymalloc.valgrind.log'), { chunkBytes: 4096 });
    expect(all.length).toBeGreaterThan(20);
    const lines = all.flat().map((c) => c.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    for (const b of all) expect(b.at(-1)!.line - b[0]!.line).toBeLessThan(4096 / 20);
  });
});

describe('lmm run on imported traces (end to end)', () => {
  const lmm = (...args: string[]) => spawnSync(process.execPath, [LMM_BIN, 'run', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, INIT_CWD: ROOT } });

  it('runs a valgrind log by content and a .rep with --format rep, printing statistics', () => {
    const a = lmm(join(SHARED, 'traces', 'sort.valgrind.log'), '--families', 'exact', '--json');
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout).commands).toBeGreaterThan(292);
    const b = lmm(join(FIXTURES, 'sort.rep'), '--format', 'rep', '--families', 'exact', '--json');
    expect(b.status).toBe(0);
    const { commands: _a, ...statsA } = JSON.parse(a.stdout);
    const { commands: _b, ...statsB } = JSON.parse(b.stdout);
    expect(statsB).toEqual(statsA);
  });

  it('a malformed valgrind line exits 2 with FILE:LINE and no stack', () => {
    const file = join(tmp, 'bad.valgrind.log');
    writeFileSync(file, '==1== Memcheck\n--1-- malloc(8) = 0x10\n--1-- malloc(x) = 0x20\n');
    const r = lmm(file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`lmm: ${file}:3: malloc: cannot read the size in 'x'\n`);
  });
});
