/**
 * Issue 15's wrong answers in the trace readers, each as it was found: `--families single`
 * registering `heap` late or never, malloc-lab traces with more operations than their header
 * announces, silent acceptance (a file of no allocator call read as valgrind, a valgrind call
 * cut off after its name, an indented `#` line taken for a comment), and `.rep` ids with
 * leading zeros.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, initialState, LAYOUTS, type Command, type Fact } from '@lmm/core';
import { InputError, readTrace, type ReadTraceOptions, type TraceCommand } from '@lmm/replay';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-import-holes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** Writes `text` to a fresh file; returns its path. */
function file(text: string, ext: string): string {
  const path = join(tmp, `t${++n}.${ext}`);
  writeFileSync(path, text);
  return path;
}

/** Every command a reader makes of a file, with the warnings it gave. */
async function read(path: string, options: Partial<ReadTraceOptions> = {}): Promise<{ commands: TraceCommand[]; warnings: InputError[] }> {
  const warnings: InputError[] = [];
  const commands: TraceCommand[] = [];
  for await (const batch of readTrace(path, { layout: LAYOUTS.seed, displayName: 'in', onWarning: (w) => warnings.push(w), ...options })) commands.push(...batch);
  return { commands, warnings };
}

/** The InputError reading a file raises (fails when it reads without one). */
async function readError(path: string, options: Partial<ReadTraceOptions> = {}): Promise<InputError> {
  const e = await read(path, options).then(
    (r) => r,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

const commandsOf = (r: { commands: TraceCommand[] }) => r.commands.map((c) => c.command as Command);

describe('issue 15: --families single registers heap as the first command (SPEC §4)', () => {
  it('a .rep that starts with a free (`f 5`) registers heap first, so every command keeps its number', async () => {
    const r = await read(file('0 6 3 1\nf 5\na 1 10\nf 1\n', 'rep'));
    expect(commandsOf(r)).toEqual([
      { op: 'register', family: 'heap', size: 1 },
      { op: 'free', id: '5' },
      { op: 'alloc', id: '1', family: 'heap', units: 10 },
      { op: 'free', id: '1' },
    ]);
  });

  it('a .rep that starts with a realloc registers heap first', async () => {
    const r = await read(file('0 2 2 1\nr 0 10\na 1 10\n', 'rep'));
    expect(commandsOf(r)[0]).toEqual({ op: 'register', family: 'heap', size: 1 });
    expect(commandsOf(r)).toHaveLength(3);
  });

  it('a trace with no alloc still registers heap', async () => {
    expect(commandsOf(await read(file('0 6 1 1\nf 5\n', 'rep')))).toEqual([
      { op: 'register', family: 'heap', size: 1 },
      { op: 'free', id: '5' },
    ]);
    expect(commandsOf(await read(file('0 0 0 1\n', 'rep')))).toEqual([{ op: 'register', family: 'heap', size: 1 }]);
    expect(commandsOf(await read(file('==1== Memcheck\n--1-- free(0x10)\n', 'log')))).toEqual([
      { op: 'register', family: 'heap', size: 1 },
      { op: 'free', id: '0x10' },
    ]);
  });

  it('a valgrind log whose first call frees registers heap first; pow2 and exact still register when first used', async () => {
    const text = '==1== Memcheck\n--1-- free(0x10)\n--1-- malloc(24) = 0x20\n';
    expect(commandsOf(await read(file(text, 'log'))).map((c) => c.op)).toEqual(['register', 'free', 'alloc']);
    expect(commandsOf(await read(file(text, 'log'), { families: 'exact' })).map((c) => c.op)).toEqual(['free', 'register', 'alloc']);
  });
});

describe('issue 15: malloc-lab traces with more operations than their header announces', () => {
  // lrucd, nlydf, qyqyc, rulsr of the CS:APP traces: 201 operations under a header of 200.
  // mdriver reads as many operations as the header says; the rest is left unread.
  const ops = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? `a ${i / 2} ${8 + i}` : `f ${(i - 1) / 2}`));
  const text = ['20000', '100', '200', '1', ...ops, 'a 100 64', ''].join('\n');

  it('reads the header’s count of operations and warns once about the extra line, naming it', async () => {
    const r = await read(file(text, 'rep'));
    expect(commandsOf(r)).toHaveLength(201); // register heap, 200 operations
    expect(commandsOf(r).at(-1)).toEqual({ op: 'free', id: '99' });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]!.line).toBe(205);
    expect(r.warnings[0]!.message).toMatch(/^in:205: .*200 operations/);
  });

  it('counts every extra operation line in its one warning', async () => {
    const r = await read(file(['0 2 1 1', 'a 0 8', 'f 0', '', 'a 1 8', 'f 1', ''].join('\n'), 'rep'));
    expect(commandsOf(r).map((c) => c.op)).toEqual(['register', 'alloc']);
    expect(r.warnings.map((w) => [w.line, w.reason])).toEqual([[3, expect.stringMatching(/3 lines after them/)]]);
  });

  it('a trace with fewer operations than announced is still cut off (an InputError)', async () => {
    expect((await readError(file('0 2 2 1\na 0 10\n', 'rep'))).reason).toMatch(/cut off/);
  });
});

describe('issue 15: .rep ids with leading zeros are the same id (`07` ≡ `7`)', () => {
  it('allocates 07 and frees 7, reallocs 007, frees 0000 as 0', async () => {
    const r = await read(file('0 2 5 1\na 07 10\nr 007 20\nf 7\na 00 5\nf 0000\n', 'rep'));
    expect(commandsOf(r)).toEqual([
      { op: 'register', family: 'heap', size: 1 },
      { op: 'alloc', id: '7', family: 'heap', units: 10 },
      { op: 'realloc', id: '7', units: 20 },
      { op: 'free', id: '7' },
      { op: 'alloc', id: '0', family: 'heap', units: 5 },
      { op: 'free', id: '0' },
    ]);
    const engine = new Engine(initialState({ layout: LAYOUTS.seed }));
    const rejected: Fact[] = r.commands.flatMap(({ command }) => engine.execute(command)).filter((f) => f.type === 'Rejected');
    expect(rejected).toEqual([]);
    expect(engine.snapshot().live.size).toBe(0);
  });
});

describe('issue 15: silent acceptance', () => {
  it.each([
    ['a command trace (JSONL)', '{"op":"register","family":"a","size":8}\n{"op":"alloc","id":"x","family":"a"}\n'],
    ['a malloc-lab trace', '0 1 1 1\na 0 8\n'],
    ['a valgrind log recorded without --trace-malloc=yes', '==7== Memcheck, a memory error detector\n==7== HEAP SUMMARY:\n'],
  ])('--format valgrind on %s (no allocator call in it) is an InputError', async (_what, text) => {
    const e = await readError(file(text, 'txt'), { format: 'valgrind' });
    expect(e.reason).toMatch(/no allocator call/);
  });

  it.each([
    ['the last line, with no line end', '==1== Memcheck\n--1-- malloc(8) = 0x10\n--1-- mall', 3],
    ['the last line', '==1== Memcheck\n--1-- malloc(8) = 0x10\n--1-- mall\n', 3],
    ['a line in the middle', '==1== Memcheck\n--1-- mall\n--1-- malloc(8) = 0x10\n', 2],
    ['a whole name without its arguments', '==1== Memcheck\n--1-- malloc(8) = 0x10\n--1-- free\n', 3],
    ['a C++ operator', '==1== Memcheck\n--1-- malloc(8) = 0x10\n--1-- _Zdl', 3],
    ['a line without the --PID-- prefix, last and with no line end', '==1== Memcheck\n--1-- malloc(8) = 0x10\nrealloc', 3],
    ['the last line, cut in its arguments', '==1== Memcheck\n--1-- malloc(8) = 0x10\n--1-- calloc(4,', 3],
  ])('a valgrind call cut off after (part of) its name is an InputError: %s', async (_what, text, line) => {
    const e = await readError(file(text, 'log'));
    expect(e.line).toBe(line);
    expect(e.reason).toMatch(/cut off/);
  });

  it('a --PID-- line of valgrind’s own that only starts like an allocator name is still ignored', async () => {
    const r = await read(file('==1== Memcheck\n--1-- malloc(8) = 0x10\n--1-- mallinfo2 is not traced\n--1-- Reading syms\n--1-- malloc_trim\nfree\n', 'log'));
    expect(commandsOf(r).map((c) => c.op)).toEqual(['register', 'alloc']);
  });

  it.each(['jsonl', 'auto'] as const)('an indented `  # x` line is not a comment (SPEC §3 skips lines starting with #): --format %s', async (format) => {
    const e = await readError(file('{"op":"register","family":"a","size":8}\n  # x\n', 'jsonl'), { format });
    expect(e.line).toBe(2);
  });

  it('an indented `#` line before anything else is not a comment either (--format auto cannot tell the format)', async () => {
    const e = await readError(file('\t# x\n{"op":"register","family":"a","size":8}\n', 'jsonl'));
    expect(e.line).toBe(1);
  });

  it('an indented `#` line in a malloc-lab trace is an unknown operation; a `#` line is a comment', async () => {
    expect((await read(file('# made by hand\n0 1 1 1\n# the one op\na 0 8\n', 'rep'))).commands).toHaveLength(2);
    const e = await readError(file('0 1 1 1\n  # x\na 0 8\n', 'rep'));
    expect(e.line).toBe(2);
  });
});
