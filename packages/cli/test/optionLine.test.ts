/**
 * A trace's option line (`optionLine.ts`, SPEC §4/§5): which line it is (`findOptionLine`),
 * how `lmm run` applies it (the command line wins, one note on stderr, errors at
 * FILE:LINE), and where it is looked for: the first 64 KiB of a regular file or of standard
 * input — which is read only until its first command and then given whole to the trace
 * reader — and never in a FIFO, which cannot be read twice.
 *
 * The trace used throughout is scenarios/page-limit.jsonl's commands: under --max-pages 2 two
 * of them are rejected (E_OUT_OF_MEMORY); with no page limit m5 fits the first time, so its
 * second alloc is the one rejected (E_ID_IN_USE) — as scenariosAsWritten.test.ts shows.
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { propertyRuns, REPO_ROOT } from '@lmm/testkit';
import { findOptionLine, withOptionLine } from '../src/optionLine.js';
import { inUserDir } from '../src/paths.js';
import { throughFifo } from './fifo.js';
import { captureIo } from './captureIo.js';
import { lmmInProcess } from './lmmInProcess.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-option-line-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

/** page-limit.jsonl's commands, without its comments. */
const COMMANDS = readFileSync(join(REPO_ROOT, 'scenarios/page-limit.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('{'))
  .map((l) => `${l}\n`)
  .join('');
const UNDER_TWO_PAGES = { E_OUT_OF_MEMORY: 2 };
const NO_LIMIT = { E_ID_IN_USE: 1 };

/** Writes `text` as `name` in the test's directory; returns `name`. */
function trace(name: string, text: string): string {
  writeFileSync(join(tmp, name), text);
  return name;
}

/** `lmm run ARGS --json` in the test's directory: exit status, stderr, and the rejections of the JSON summary. */
async function run(args: readonly string[]): Promise<{ code: number | null; stderr: string; rejected?: object }> {
  const r = await lmmInProcess(['run', ...args, '--json'], { cwd: tmp });
  return { code: r.code, stderr: r.stderr, ...(r.stdout === '' ? {} : { rejected: (JSON.parse(r.stdout) as { rejected: object }).rejected }) };
}

/**
 * A standard input that gives `text` in pieces of `size` bytes, one per read, each a turn of
 * the event loop after it is asked for (as a pipe fed by a slow writer); it ends after the
 * last unless `end` is false (a writer that keeps it open). `process.stdin` is it until the
 * test ends. With `keep`, the stream is not destroyed at its end (a misuse then is an 'error' event rather than nothing).
 */
function stdinOf(text: string, size: number, end = true, keep = false): Readable {
  const bytes = Buffer.from(text);
  let at = 0;
  const stream = new Readable({
    autoDestroy: !keep,
    read() {
      setImmediate(() => {
        if (at < bytes.length) {
          this.push(bytes.subarray(at, at + size));
          at += size;
        } else if (end) {
          // As a pipe's socket ends (Node's onStreamRead): the end pushed, then read(0), which
          // emits 'readable' at once and 'end' on the next tick, before any promise callback runs.
          this.push(null);
          this.read(0);
        }
      });
    },
  });
  vi.spyOn(process, 'stdin', 'get').mockReturnValue(stream as typeof process.stdin);
  return stream;
}

/** The next `n` bytes `stream` gives, as text. */
async function nextBytes(stream: Readable, n: number): Promise<string> {
  const chunks: Buffer[] = [];
  let got = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    got += (chunk as Buffer).length;
    if (got >= n) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

describe('findOptionLine', () => {
  it.each([
    ['the first of two, after a comment', '# about\n# lmm: --layout lmm64\n# lmm: --policy best-fit\n{"op":"x"}\n', { line: 2, words: ['--layout', 'lmm64'] }],
    ['after blank lines, some of spaces and tabs', '\n  \t\n \n# lmm: --max-pages 2\n{"op":"x"}\n', { line: 4, words: ['--max-pages', '2'] }],
    ['CRLF lines, a blank one among them', '# about\r\n\r\n# lmm: --policy best-fit\r\n{"op":"x"}\r\n', { line: 3, words: ['--policy', 'best-fit'] }],
    ['no space after #, none after the colon', '#lmm:--max-pages 2\n', { line: 1, words: ['--max-pages', '2'] }],
    ['tabs and runs of spaces between the words, trailing blanks', '#\t lmm: \t--layout   seed\t--max-pages 2  \t\n', { line: 1, words: ['--layout', 'seed', '--max-pages', '2'] }],
    ['an empty line: no words (and it is the first, so a later one is not used)', '# lmm:\n# lmm: --max-pages 2\n', { line: 1, words: [] }],
    ['blanks only after the colon: no words', '# lmm:  \t \r\n', { line: 1, words: [] }],
  ])('%s', (_what, head, found) => {
    expect(findOptionLine(head)).toEqual(found);
  });

  it.each([
    ['after the first command', '# about\n{"op":"x"}\n# lmm: --layout lmm64\n'],
    ['# lmm: in the middle of a comment', '# see the # lmm: --layout lmm64 line\n{"op":"x"}\n'],
    ['an indented # line (the first command)', '  # lmm: --layout lmm64\n'],
    ['lmm without its colon', '# lmm --layout lmm64\n'],
    ['a valgrind log', '==12== Memcheck, a memory error detector\n'],
    ['nothing at all', ''],
  ])('none: %s', (_what, head) => {
    expect(findOptionLine(head)).toBeUndefined();
  });

  it('property: the words of the first # lmm: line among any comment and blank lines, however spaced and ended', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'z', '-', '0', '9', ':', '=', '#', '.'), minLength: 1, maxLength: 8 });
    // Comments cannot spell lmm: (no l, m or colon), so the option line is the one the test puts.
    const comment = fc.string({ unit: fc.constantFrom('a', ' ', '\t', '#', '-', 'x'), maxLength: 12 }).map((t) => `#${t}`);
    const blank = fc.string({ unit: fc.constantFrom(' ', '\t', '\r'), maxLength: 3 });
    const space = fc.string({ unit: fc.constantFrom(' ', '\t'), minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(fc.oneof(comment, blank), { maxLength: 6 }), fc.array(fc.tuple(space, word), { maxLength: 5 }), space, fc.constantFrom('\n', '\r\n'), (before, words, tail, eol) => {
        const line = `# lmm:${words.map(([s, w]) => s + w).join('')}${tail}${eol}`;
        const head = `${before.map((l) => `${l}\n`).join('')}${line}# lmm: --later\n{"op":"register"}\n`;
        expect(findOptionLine(head)).toEqual({ line: before.length + 1, words: words.map(([, w]) => w) });
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

describe('lmm run applies the option line of a trace file', () => {
  it('its options, in its order, said on stderr with the line', async () => {
    const name = trace('two.jsonl', `# a trace\n# lmm: --max-pages 2 --layout seed\n${COMMANDS}`);
    expect(await run([name])).toEqual({ code: 0, stderr: 'lmm: using options from two.jsonl:2: --max-pages 2 --layout seed\n', rejected: UNDER_TWO_PAGES });
  });

  it('the command line wins: one option or all of them', async () => {
    const name = trace('wins.jsonl', `# lmm: --max-pages 2 --layout seed\n${COMMANDS}`);
    expect(await run([name, '--max-pages', '9'])).toEqual({ code: 0, stderr: "lmm: using options from wins.jsonl:1: --layout seed (the command line's --max-pages wins)\n", rejected: NO_LIMIT });
    expect(await run([name, '--layout', 'seed', '--max-pages', '9'])).toEqual({ code: 0, stderr: "lmm: options from wins.jsonl:1 not used (the command line's --max-pages, --layout win)\n", rejected: NO_LIMIT });
  });

  it('an empty option line: nothing said, nothing changed', async () => {
    const name = trace('empty.jsonl', `# lmm:   \n# lmm: --max-pages 2\n${COMMANDS}`);
    expect(await run([name])).toEqual({ code: 0, stderr: '', rejected: NO_LIMIT });
  });

  it.each([
    ['--max-pages lots', "the option line: --max-pages: 'lots' is not an integer ≥ 0"],
    ['--switch 3', "the option line: --switch: '3' is not CMD:POLICY (a command number, a colon, a policy)"],
    ['--format csv', "the option line: --format: unknown format 'csv' (auto, jsonl, valgrind or rep)"],
    ['--families all', "the option line: --families: unknown mapping 'all' (single, pow2 or exact)"],
    ['--json', 'the option line sets --json; a trace may set only --format, --families, --layout, --policy, --switch, --max-pages'],
    ['--max-pages 2 --state s.txt', 'the option line sets --state; a trace may set only --format, --families, --layout, --policy, --switch, --max-pages'],
    ['--max-pages 2 extra', 'the option line: expected no arguments, got extra'],
  ])('# lmm: %s is an input error at its line, before anything runs', async (words, message) => {
    const name = trace('bad.jsonl', `# a trace\n\n# lmm: ${words}\n${COMMANDS}`);
    expect(await run([name])).toEqual({ code: 2, stderr: `lmm: bad.jsonl:3: ${message}\n` });
  });

  it.each([
    ['--nope', /^lmm: bad\.jsonl:1: the option line: Unknown option '--nope'.*\n$/],
    ['--layout', /^lmm: bad\.jsonl:1: the option line: Option '--layout <value>' argument missing \(lmm run --help lists the options\)\n$/],
    ['--policy bestfit', /^lmm: bad\.jsonl:1: the option line: .*'bestfit'.*\n$/],
    ['--layout nowhere', /^lmm: bad\.jsonl:1: the option line: .*'nowhere'.*\n$/],
  ])('# lmm: %s: the parser’s or the option’s own words, at the line (not as run’s usage error)', async (words, stderr) => {
    const name = trace('bad.jsonl', `# lmm: ${words}\n${COMMANDS}`);
    const r = await run([name]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(stderr);
  });

  it('an option line past the first 64 KiB of comments is not looked for', async () => {
    // 1024 comment lines of 64 bytes each are 65,536 bytes: the option line starts just past them.
    const comments = `#${'-'.repeat(62)}\n`.repeat(1024);
    expect(Buffer.byteLength(comments)).toBe(64 * 1024);
    const name = trace('long-head.jsonl', `${comments}# lmm: --max-pages 2\n${COMMANDS}`);
    expect(await run([name])).toEqual({ code: 0, stderr: '', rejected: NO_LIMIT });
    // One comment line fewer: the option line is within the head, and applied.
    const within = trace('long-head-within.jsonl', `${comments.slice(64)}# lmm: --max-pages 2\n${COMMANDS}`);
    expect(await run([within])).toEqual({ code: 0, stderr: 'lmm: using options from long-head-within.jsonl:1024: --max-pages 2\n', rejected: UNDER_TWO_PAGES });
  });

  it('a FIFO (as a process substitution) is read once, by the trace reader: its option line is not looked for', async () => {
    const r = await throughFifo(join(tmp, 'trace.fifo'), `# lmm: --max-pages 2\n${COMMANDS}`, () => run(['trace.fifo']));
    expect(r).toEqual({ code: 0, stderr: '', rejected: NO_LIMIT });
  });

  it('reading the head leaves no descriptor open on the trace; a trace that cannot be read is left to the reader', async () => {
    const name = trace('fd.jsonl', `# lmm: --max-pages 2\n${COMMANDS}`);
    const io = captureIo();
    const openOnTrace = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === join(tmp, name);
      } catch {
        return false; // closed meanwhile (the listing's own descriptor)
      }
    });
    const values = await inUserDir(tmp, () => withOptionLine(io, name, { layout: 'seed' }));
    expect(values).toEqual({ layout: 'seed', 'max-pages': '2' });
    expect(openOnTrace()).toEqual([]);
    expect(await inUserDir(tmp, () => withOptionLine(io, 'missing.jsonl', { layout: 'seed' }))).toEqual({ layout: 'seed' });
    expect(await inUserDir(tmp, () => withOptionLine(io, '.', { json: true }))).toEqual({ json: true });
    expect(io.err()).toBe('lmm: using options from fd.jsonl:1: --max-pages 2\n');
  });
});

describe('lmm run - reads the option line of standard input', () => {
  it('arriving in small pieces: applied, and every byte still reaches the trace reader (the same run as from a file)', async () => {
    const text = readFileSync(join(REPO_ROOT, 'scenarios/page-limit.jsonl'), 'utf8');
    stdinOf(text, 16);
    const piped = await lmmInProcess(['run', '-', '--json'], { cwd: tmp });
    vi.restoreAllMocks();
    const fromFile = await lmmInProcess(['run', 'scenarios/page-limit.jsonl', '--json']);
    expect(piped.stderr).toBe('lmm: using options from -:4: --layout seed --max-pages 2\n');
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(fromFile.stdout);
    expect((JSON.parse(piped.stdout) as { commands: number; rejected: object }).rejected).toEqual(UNDER_TWO_PAGES);
  });

  it('read only up to its first command: an input still open gives its options at once, and its bytes in order after, with no listener left behind', async () => {
    // 30 comment lines, in 5-byte pieces (about 100 waits for more), then a command; the writer keeps the input open.
    const text = `${'# c\n'.repeat(30)}# lmm: --max-pages 2\n{"op":"register","family":"f","size":8}\n`;
    const stdin = stdinOf(text, 5, false);
    const io = captureIo();
    expect(await withOptionLine(io, '-', {})).toEqual({ 'max-pages': '2' });
    expect(io.err()).toBe('lmm: using options from -:31: --max-pages 2\n');
    expect(stdin.listenerCount('readable') + stdin.listenerCount('end')).toBe(0);
    expect(await nextBytes(stdin, Buffer.byteLength(text))).toBe(text);
  });

  it('an input that ends within its comments: read to its end, its option line found, nothing put back after the end', async () => {
    const stdin = stdinOf('# nothing to run\n# lmm: --max-pages 2\n', 7, true, true);
    const errors: Error[] = [];
    stdin.on('error', (e) => errors.push(e));
    const io = captureIo();
    expect(await withOptionLine(io, '-', {})).toEqual({ 'max-pages': '2' });
    expect(io.err()).toBe('lmm: using options from -:2: --max-pages 2\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual([]);
  });

  it('an input of comments only runs as the same file does: no command, exit 0 (its bytes reach the reader after its end)', async () => {
    const text = '# nothing to run\n# lmm: --layout lmm64\n';
    writeFileSync(join(tmp, 'comments.jsonl'), text);
    const fromFile = await lmmInProcess(['run', 'comments.jsonl', '--json'], { cwd: tmp });
    stdinOf(text, 7);
    const piped = await lmmInProcess(['run', '-', '--json'], { cwd: tmp });
    expect(fromFile.code).toBe(0);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('lmm: using options from -:2: --layout lmm64\n');
    expect(piped.stdout).toBe(fromFile.stdout.replaceAll('comments.jsonl', '-'));
    expect((JSON.parse(piped.stdout) as { commands: number }).commands).toBe(0);
  });

  it('an input of comments only, or nothing: the peek sees its end and returns', async () => {
    stdinOf('# hi\n', 16);
    expect(await withOptionLine(captureIo(), '-', { layout: 'seed' })).toEqual({ layout: 'seed' });
    vi.restoreAllMocks();
    stdinOf('', 16);
    const io = captureIo();
    expect(await withOptionLine(io, '-', {})).toEqual({});
    expect(io.err()).toBe('');
  });

  it('blank lines of spaces among the comments are not its first command', async () => {
    // In 3-byte pieces, a piece ends within the line of spaces: the head is not whole yet.
    const stdin = stdinOf(`# c\n      \n\t\n# lmm: --max-pages 2\n${COMMANDS}`, 3, false);
    const io = captureIo();
    expect(await withOptionLine(io, '-', {})).toEqual({ 'max-pages': '2' });
    stdin.destroy();
  });

  it('an option line past the first 64 KiB of comments is not looked for, as in a file', async () => {
    // 65,536 bytes of comments, in 4096-byte pieces: the head is whole after the 16th.
    const comments = `#${'-'.repeat(62)}\n`.repeat(1024);
    stdinOf(`${comments}# lmm: --max-pages 2\n${COMMANDS}`, 4096);
    expect(await run(['-'])).toEqual({ code: 0, stderr: '', rejected: NO_LIMIT });
  });
});
