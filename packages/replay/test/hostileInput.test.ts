/**
 * Hostile input, reader by reader (command JSONL, `--format auto`, valgrind, malloc-lab,
 * fact logs read and folded): every file-level problem (missing, a directory, empty, binary,
 * not UTF-8, UTF-16, a line far too long, JSON nested too deep) and every line-level one
 * (cut-off lines, wrong types, huge numbers) is one InputError naming the file and line with
 * a one-line reason; CRLF line ends and a UTF-8 byte order mark read exactly like plain LF; a
 * JSON value that is not a command is not an input error (decide rejects it); a fact log
 * cut off mid-line is read up to its last whole command with a warning, or refused when strict.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, initialState, LAYOUTS, type Fact, type Layout, type Policy } from '@lmm/core';
import { factLine, foldLog, headerLine, InputError, makeHeader, MAX_LINE_BYTES, readFactLog, readLines, readTrace, type LineFact, type ReadFactLogOptions, type TraceCommand, type TraceFormat } from '@lmm/replay';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let fileNo = 0;
/** Writes `content` to a fresh file; returns its path. */
function file(content: string | Buffer, name = `f${++fileNo}`): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

/** The readers under test: each reads a whole file and returns what it read (or throws). */
const TRACE_READERS: Record<string, (path: string) => Promise<unknown[]>> = {
  jsonl: (p) => trace(p, 'jsonl'),
  auto: (p) => trace(p, 'auto'),
  valgrind: (p) => trace(p, 'valgrind'),
  rep: (p) => trace(p, 'rep'),
};
const LOG_READERS: Record<string, (path: string) => Promise<unknown[]>> = {
  'fact log': (p) => factLog(p).then((r) => r.facts),
  'fact log, folded': async (p) => [await foldLog(p, { displayName: 'in' })],
};
const ALL_READERS = { ...TRACE_READERS, ...LOG_READERS };

async function trace(path: string, format: TraceFormat): Promise<TraceCommand[]> {
  const out: TraceCommand[] = [];
  for await (const batch of readTrace(path, { layout: LAYOUTS.seed, format, displayName: 'in' })) out.push(...batch);
  return out;
}

async function factLog(path: string, options: ReadFactLogOptions = {}): Promise<{ facts: LineFact[]; warnings: InputError[] }> {
  const facts: LineFact[] = [];
  const warnings: InputError[] = [];
  for await (const item of readFactLog(path, { displayName: 'in', onWarning: (w) => warnings.push(w), ...options })) {
    if (Array.isArray(item)) facts.push(...item);
  }
  return { facts, warnings };
}

/** The InputError a read ends with (fails the test if it ends otherwise). */
async function inputError(read: Promise<unknown>): Promise<InputError> {
  const e = await read.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'the read should fail with an InputError').toBeInstanceOf(InputError);
  const error = e as InputError;
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(error.message).toBe(error.line > 0 ? `in:${error.line}: ${error.reason}` : `in: ${error.reason}`);
  expect(error.message.length).toBeLessThan(300);
  return error;
}

async function expectError(read: Promise<unknown>, line: number, reason: RegExp): Promise<void> {
  const e = await inputError(read);
  expect({ line: e.line, reason: e.reason }).toEqual({ line, reason: expect.stringMatching(reason) });
}

/** A small run with every fact type, as its fact log lines (header first). */
function runLog(commands: readonly unknown[], layout: Layout = LAYOUTS.seed, policy: Policy = 'worst-fit'): string[] {
  const engine = new Engine(initialState({ layout, policy, maxPages: null }));
  const lines = [headerLine(makeHeader(layout, policy, null))];
  let seq = 0;
  commands.forEach((c, i) => {
    for (const f of engine.execute(c)) lines.push(factLine(++seq, i + 1, f));
  });
  return lines;
}

const COMMANDS = [
  { op: 'register', family: 'emp_t', size: 36 },
  { op: 'alloc', id: 'e1', family: 'emp_t' },
  { op: 'alloc', id: 'e2', family: 'emp_t', units: 3 },
  { op: 'realloc', id: 'e1', units: 200, to: 'big' },
  { op: 'free', id: 'e1' },
  { op: 'free', id: 'e2' },
];
const LOG = runLog(COMMANDS);
const LOG_TEXT = `${LOG.join('\n')}\n`;
const JSONL_TEXT = `${COMMANDS.map((c) => JSON.stringify(c)).join('\n')}\n`;
const VALGRIND_TEXT = '==7== Memcheck\n--7-- malloc(16) = 0x4a1f040\n--7-- realloc(0x4a1f040,5000) = 0x4a20000\n--7-- free(0x4a20000)\n';
const REP_TEXT = '1000 2 3 1\na 0 10\nr 0 20\nf 0\n';
/** A valid file of each reader's format. */
const VALID: Record<string, string> = {
  jsonl: JSONL_TEXT,
  auto: JSONL_TEXT,
  valgrind: VALGRIND_TEXT,
  rep: REP_TEXT,
  'fact log': LOG_TEXT,
  'fact log, folded': LOG_TEXT,
};

describe.each(Object.entries(ALL_READERS))('%s: file-level problems are one InputError naming the file', (name, read) => {
  it('a missing file, a directory, a path through a file', async () => {
    await expectError(read(join(tmp, 'no-such-file')), 0, /^no such file$/);
    const dir = join(tmp, `dir-${name}`);
    mkdirSync(dir, { recursive: true });
    await expectError(read(dir), 0, /^is a directory, not a file$/);
    await expectError(read(join(file('x\n'), 'below')), 0, /^no such file/);
  });

  it('an empty file, and one of nothing but white space', async () => {
    await expectError(read(file('')), 0, /^empty file$/);
    await expectError(read(file(' \n\r\n\t\n\n')), 0, /^empty file \(nothing but white space\)$/);
  });

  it('binary data: a NUL byte names its line; an executable is refused at line 1', async () => {
    const valid = VALID[name]!;
    await expectError(read(file(Buffer.concat([Buffer.from(valid), Buffer.from('abc\x00def\n')]))), valid.split('\n').length, /^binary data \(a NUL byte\)/);
    await expectError(read(file(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x0a, 0xff]))), 1, /^binary data/);
  });

  it('bytes that are not UTF-8 (never read as replacement characters); UTF-16 text', async () => {
    const valid = VALID[name]!;
    const lines = valid.split('\n');
    // A Latin-1 é in the middle of the second line, then the rest of the file.
    const bad = Buffer.concat([Buffer.from(`${lines[0]}\n`), Buffer.from([0x23, 0x20, 0xe9, 0x0a]), Buffer.from(lines.slice(1).join('\n'))]);
    await expectError(read(file(bad)), 2, /^not UTF-8 text/);
    await expectError(read(file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')]))), 1, /^UTF-16 text: lmm reads UTF-8/);
  });

  it('reads CRLF line ends and a UTF-8 byte order mark exactly like LF', async () => {
    const valid = VALID[name]!;
    const lf = await read(file(valid));
    expect(await read(file(valid.replace(/\n/g, '\r\n')))).toEqual(lf);
    expect(await read(file(`\ufeff${valid}`))).toEqual(lf);
  });
});

async function drain(it: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of it);
}

describe('a line far too long', () => {
  it('a 100 MB line is refused quickly by every reader, having read little more than the limit', async () => {
    const path = file(Buffer.concat([Buffer.from('# a trace\n'), Buffer.alloc(100 * 2 ** 20, 0x61), Buffer.from('\n')]));
    let read = 0;
    await expectError(drain(readLines(path, { displayName: 'in', onProgress: (n) => (read = n) })), 2, new RegExp(`^line is longer than ${MAX_LINE_BYTES} bytes`));
    expect(read).toBeLessThanOrEqual(MAX_LINE_BYTES + 2 ** 20 + 10);
    for (const r of Object.values(TRACE_READERS)) await expectError(r(path), 2, new RegExp(`^line is longer than ${MAX_LINE_BYTES} bytes`));
    // A fact log's lines may be longer (a rejected command is kept whole, and its message may quote it): 4 × the limit.
    const log = file(Buffer.concat([Buffer.from(`${LOG[0]}\n`), Buffer.alloc(100 * 2 ** 20, 0x61)]));
    for (const r of Object.values(LOG_READERS)) await expectError(r(log), 2, new RegExp(`^line is longer than ${4 * MAX_LINE_BYTES} bytes`));
  }, 120_000);

  it('lmm reads every fact line it writes: a trace line at the limit, rejected and quoted twice in the message, fits', async () => {
    // The worst case: a family name of quotes (2 bytes each in the trace, 4 in the message of the fact line).
    const quotes = (MAX_LINE_BYTES - 40) >> 1;
    const line = `{"op":"register","family":"${'\\"'.repeat(quotes)}","size":8}`;
    const path = file(`${line}\n`);
    const commands = await trace(path, 'jsonl');
    const engine = new Engine(initialState({ layout: LAYOUTS.seed, policy: 'worst-fit', maxPages: null }));
    const [fact] = engine.execute(commands[0]!.command);
    expect(fact).toMatchObject({ type: 'Rejected', code: 'E_FAMILY_NAME' });
    const logLine = factLine(1, 1, fact!);
    expect(Buffer.byteLength(logLine)).toBeGreaterThan(2.9 * Buffer.byteLength(line));
    const { facts } = await factLog(file(`${LOG[0]}\n${logLine}\n`));
    expect(facts).toHaveLength(1);
    const read = facts[0]!.fact as Extract<Fact, { type: 'Rejected' }>;
    expect(read.message === (fact as Extract<Fact, { type: 'Rejected' }>).message && (read.command as { family: string }).family.length === quotes).toBe(true);
  }, 120_000);

  it('the limit is counted in bytes, also for multi-byte characters and across chunks', async () => {
    const path = file(`ok\n${'é'.repeat(600)}\n`);
    await expectError(drain(readLines(path, { displayName: 'in', maxLineBytes: 1000, chunkBytes: 64 })), 2, /^line is longer than 1000 bytes/);
    const fits = file(`ok\n${'é'.repeat(500)}\n`);
    const lines: string[] = [];
    for await (const c of readLines(fits, { maxLineBytes: 1000, chunkBytes: 64 })) lines.push(...c.text);
    expect(lines).toEqual(['ok', 'é'.repeat(500)]);
  });
});

describe('JSON nested too deep to write back', () => {
  const deep = (d: number) => `${'['.repeat(d)}${']'.repeat(d)}`;
  it('a command or fact nested more than 256 levels is an InputError; 256 levels, or brackets in strings, are not', async () => {
    await expectError(trace(file(`{"op":"alloc","id":${deep(300)}}\n`), 'jsonl'), 1, /^JSON nested more than 256 levels deep/);
    const ok = await trace(file(`{"op":"alloc","id":${deep(255)},"family":"${'['.repeat(400)}"}\n`), 'jsonl');
    expect(ok).toHaveLength(1);
    const rejected = LOG[1]!.replace(/^(\{"seq":1,"cmd":1,)"type".*$/, `$1"type":"Rejected","command":${deep(1000)},"code":"E_BAD_COMMAND","message":"x"}`);
    await expectError(factLog(file(`${LOG[0]}\n${rejected}\n`)), 2, /^JSON nested more than 256 levels deep/);
  });
});

describe('command JSONL', () => {
  it('a line cut off mid-file names it and shows its start; a last line cut off says so', async () => {
    const lines = JSONL_TEXT.split('\n');
    const cut = [...lines.slice(0, 2), lines[2]!.slice(0, 20), ...lines.slice(3)].join('\n');
    await expectError(trace(file(cut), 'jsonl'), 3, /^not valid JSON: \{"op":"alloc","id":"$/);
    await expectError(trace(file(JSONL_TEXT.slice(0, -15)), 'auto'), 6, /^the last line is cut off: not valid JSON$/);
  });

  it('binary garbage in a line is shown printable', async () => {
    await expectError(trace(file(`${JSONL_TEXT}\x1b[31m\x7f garbage\n`), 'jsonl'), 7, /^not valid JSON: \?\[31m\? garbage$/);
  });

  it('values of the wrong type and huge numbers are not input errors: decide rejects them', async () => {
    const odd = ['{"op":"register","family":"a","size":"8"}', '{"op":"register","family":"a","size":1e400}', '{"op":"register","family":"a","size":8}', '{"op":"alloc","id":"x","family":"a","units":1e400}', '{"op":"alloc","id":"x","family":"a","units":123456789012345678901234567890}', '{"op":"alloc","id":7,"family":"a"}', '[1,2]', '"free x"', 'null', '{"op":"free","id":"x","extra":{"deep":[1,2,3]}}'];
    const read = await trace(file(`${odd.join('\n')}\n`), 'jsonl');
    expect(read.map((c) => c.line)).toEqual(odd.map((_, i) => i + 1));
    const engine = new Engine(initialState({ layout: LAYOUTS.seed, policy: 'worst-fit', maxPages: null }));
    const codes = read.map((c) => engine.execute(c.command).map((f: Fact) => (f.type === 'Rejected' ? f.code : f.type)).join(' '));
    expect(codes).toEqual(['E_BAD_COMMAND', 'E_FAMILY_SIZE', 'Registered', 'E_BAD_UNITS', 'E_BAD_UNITS', 'E_BAD_COMMAND', 'E_BAD_COMMAND', 'E_BAD_COMMAND', 'E_BAD_COMMAND', 'E_NOT_ALLOCATED']);
  });

  it('a fact log given as a trace is an InputError at its header, not a run of rejections', async () => {
    for (const format of ['jsonl', 'auto'] as const) await expectError(trace(file(LOG_TEXT), format), 1, /^this is an lmm fact log, not a command trace/);
  });
});

describe('valgrind logs', () => {
  it.each([
    ['a call cut off mid-line', '--7-- malloc(1', /^cannot read this allocator call: malloc\(1$/],
    ['a call cut off in its result', '--7-- malloc(16) = 0x', /^cannot read this allocator call/],
    ['a size that is not a number', '--7-- malloc(abc) = 0x10', /^malloc: cannot read the size in 'abc'$/],
    ['an address that is not one', '--7-- free(banana)', /^free: 'banana' is not an address$/],
    ['garbage after a call', '--7-- malloc(16) = 0x10 \x01\x02', /^cannot read this allocator call: malloc\(16\) = 0x10 \?\?$/],
  ])('%s is an InputError at its line', async (_, line, reason) => {
    await expectError(trace(file(`${VALGRIND_TEXT}${line}\n`), 'valgrind'), 5, reason);
  });

  it('huge sizes are commands the engine rejects (E_BAD_UNITS), not input errors', async () => {
    const read = await trace(file('--7-- malloc(99999999999999999999999) = 0x10\n--7-- calloc(4294967296,4294967296) = 0x20\n'), 'valgrind');
    const engine = new Engine(initialState({ layout: LAYOUTS.seed, policy: 'worst-fit', maxPages: null }));
    const codes = read.flatMap((c) => engine.execute(c.command).map((f: Fact) => (f.type === 'Rejected' ? f.code : f.type)));
    expect(codes).toEqual(['Registered', 'E_BAD_UNITS', 'E_BAD_UNITS']);
  });
});

describe('malloc-lab traces', () => {
  it.each([
    ['a header number too large to be exact', '1 2 99999999999999999999999 1\na 1 5\n', 1, /^malloc-lab header: number of operations '99999999999999999999999' is too large/],
    ['an id that is not a number', '1000 2 1 1\na x 5\n', 2, /^expected 'a ID SIZE'/],
    ['a size that is not a number', '1000 2 1 1\na 1 5.5\n', 2, /^expected 'a ID SIZE'/],
    ['a file cut off', REP_TEXT.slice(0, -4), 3, /^the header announces 3 operations, the file has 2: it was cut off$/],
    ['a line cut off', REP_TEXT.slice(0, -6), 3, /^the header announces 3 operations, the file has 2/],
  ])('%s is an InputError at its line', async (_, text, line, reason) => {
    await expectError(trace(file(text), 'rep'), line, reason);
  });

  it('a huge size is a command the engine rejects', async () => {
    const read = await trace(file('1000 2 1 1\na 1 99999999999999999999\n'), 'rep');
    expect(read.map((c) => c.command)).toEqual([
      { op: 'register', family: 'heap', size: 1 },
      { op: 'alloc', id: '1', family: 'heap', units: 1e20 },
    ]);
  });
});

describe('fact logs', () => {
  const header = LOG[0]!;
  const withLine = (n: number, text: string) => [...LOG.slice(0, n - 1), text, ...LOG.slice(n)].join('\n') + '\n';

  it.each([
    ['another version', 1, '{"format":"lmm-log","version":2,"layout":{"pageSize":4096,"pageHeaderSize":0,"metaSize":28},"policy":"worst-fit","maxPages":null}', /^fact log version 2 is not supported \(this lmm reads version 1\)$/],
    ['another format', 1, '{"format":"something-else","version":1}', /^not an lmm fact log/],
    ['a command trace', 1, '{"op":"register","family":"emp_t","size":36}', /^not an lmm fact log: this looks like a command trace/],
    ['a header that is not JSON', 1, 'lmm-log v1', /^fact log header is not valid JSON$/],
    ['a header maxPages too large to be exact', 1, header.replace('"maxPages":null', '"maxPages":1e300'), /^header maxPages 1e\+300 is not null or an integer from 0 to 2\^53 − 1$/],
    ['a header with a bad layout', 1, header.replace('"pageSize":4096', '"pageSize":4095'), /^header layout: page size 4095 is not a power of two/],
    ['a fact cut off mid-file', 3, LOG[2]!.slice(0, 30), /^fact is not valid JSON$/],
    ['a field of the wrong type', 3, LOG[2]!.replace(/"page":1/, '"page":"1"'), /^PageRequest fact: field page is an integer from 0 to 2\^53 − 1, not "1"$/],
    ['a huge number', 3, LOG[2]!.replace(/"page":1/, '"page":1e300'), /^PageRequest fact: field page is an integer from 0 to 2\^53 − 1, not 1e\+300$/],
    ['a huge command number', 3, LOG[2]!.replace(/"cmd":2/, '"cmd":1e300'), /^fact cmd 1e\+300 is not an integer ≥ 1$/],
    ['a seq out of order', 3, LOG[2]!.replace(/"seq":2/, '"seq":7'), /^fact seq 7, expected 2$/],
    ['an unknown type', 3, LOG[2]!.replace(/"type":"PageRequest"/, '"type":"Exploded"'), /^unknown fact type "Exploded"$/],
    ['a missing field', 3, LOG[2]!.replace(/,"count":1/, ''), /^PageRequest fact: field count is missing$/],
    ['a very long value, shown short', 3, LOG[2]!.replace(/"page":1/, `"page":"${'x'.repeat(5000)}"`), /^PageRequest fact: field page is an integer from 0 to 2\^53 − 1, not "x{59}…$/],
  ])('%s is an InputError at its line', async (_, line, text, reason) => {
    await expectError(factLog(file(withLine(line, text))), line, reason);
  });

  it('a fact that is not what decide gives is an InputError at its line when folded', async () => {
    await expectError(foldLog(file(withLine(4, LOG[3]!.replace(/"offset":0/, '"offset":8'))), { displayName: 'in' }), 4, /^command 2: Allocated fact has offset 8, but worst-fit gives 0 for alloc /);
  });

  it('a last line cut off: read up to the last whole command with a warning naming the line; --strict refuses it', async () => {
    // A cut in the only fact of a command (command 5, Rejected) leaves out just that command.
    const short = file(`${LOG.slice(0, 8).join('\n')}\n${LOG[8]!.slice(0, 25)}`);
    const before = await factLog(short);
    expect(before.facts.map((f) => f.fact.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(before.warnings.map((w) => w.message)).toEqual(['in:9: the last line is cut off; read the log up to command 4']);
    const whole = await factLog(file(LOG_TEXT));
    const n = LOG.length; // the last fact is on line n
    for (const cut of [5, LOG[n - 1]!.length - 1]) {
      const path = file(LOG_TEXT.slice(0, -1 - cut));
      const { facts, warnings } = await factLog(path);
      // The last command (free e2) has two facts, Freed and PageRelease: the cut one goes, and so does the Freed.
      expect(facts).toEqual(whole.facts.slice(0, -2));
      expect(warnings.map((w) => w.message)).toEqual([`in:${n}: the last line is cut off; read the log up to command 5 (command 6 lost facts in the cut)`]);
      await expectError(factLog(path, { strict: true }), n, /^the last line is cut off \(fact is not valid JSON\); without --strict/);
      const folded = await foldLog(path, { onWarning: () => undefined });
      expect(folded.commands).toBe(5);
    }
  });

  it('a cut through a command of several facts leaves out the whole command', async () => {
    // Command 4 (realloc) has PageRequest, Allocated, Freed: cut in its Freed fact.
    const lines = LOG.map((l) => l);
    const freedLine = lines.findIndex((l) => l.includes('"type":"Freed"') && l.includes('"realloc":true'));
    expect(JSON.parse(lines[freedLine]!).cmd).toBe(4);
    for (const keep of [40, 12]) {
      // 40 characters keep the command number readable; 12 do not (the facts before it are then checked).
      const path = file(`${lines.slice(0, freedLine).join('\n')}\n${lines[freedLine]!.slice(0, keep)}`);
      const { facts, warnings } = await factLog(path);
      expect(facts.map((f) => f.fact.cmd)).toEqual([1, 2, 2, 3]);
      expect(warnings[0]!.message).toBe(`in:${freedLine + 1}: the last line is cut off; read the log up to command 3 (command 4 lost facts in the cut)`);
      expect((await foldLog(path, { onWarning: () => undefined })).commands).toBe(3);
    }
  });

  it('a last line without its line end but whole is read as it is', async () => {
    const { facts, warnings } = await factLog(file(LOG_TEXT.slice(0, -1)));
    expect(facts).toHaveLength(LOG.length - 1);
    expect(warnings).toEqual([]);
  });
});
