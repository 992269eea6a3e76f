/**
 * `lmm diff` in process, on small logs whose differences a reader can check by hand
 * (`smallLogs.ts`): the text and JSON forms, `--at`, logs of different lengths, and the two
 * ways of reading — logs that are files through their indexes, anything else (a FIFO here)
 * front to back — which must print the same.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUTS, type Policy } from '@lmm/core';
import { commandsArb, propertyRuns, type LmmResult } from '@lmm/testkit';
import { lmmInProcess } from './lmmInProcess.js';
import { logText, PARTING, PARTING_AND_D } from './smallLogs.js';

const dir = mkdtempSync(join(tmpdir(), 'lmm-diff-'));
const writers: ChildProcess[] = [];
afterAll(() => {
  for (const w of writers) w.kill();
  rmSync(dir, { recursive: true, force: true });
});

const lmm = (...args: string[]): Promise<LmmResult> => lmmInProcess(args, { cwd: dir });

beforeAll(() => {
  writeFileSync(join(dir, 'w.jsonl'), logText('worst-fit', PARTING));
  writeFileSync(join(dir, 'b.jsonl'), logText('best-fit', PARTING));
  writeFileSync(join(dir, 'w4.jsonl'), logText('worst-fit', PARTING.slice(0, 4)));
  writeFileSync(join(dir, 'd.jsonl'), logText('worst-fit', PARTING_AND_D));
});

let fifoDirs = 0;
/**
 * A new directory with a FIFO for each of `files` (logs in `dir`), of the same name, that
 * another process fills with the log's bytes once a reader opens it.
 */
function fifosOf(...files: string[]): string {
  const fifoDir = join(dir, `fifos${++fifoDirs}`);
  mkdirSync(fifoDir);
  for (const file of files) {
    execFileSync('mkfifo', [join(fifoDir, file)]);
    writers.push(spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', join(dir, file), join(fifoDir, file)], { stdio: 'ignore' }));
  }
  return fifoDir;
}

const ALLOC_C_AT_256 = '{"seq":6,"cmd":5,"type":"Allocated","id":"c","family":"f","page":1,"offset":256,"size":100,"units":1,"frag":"none","gap":0}';
const ALLOC_C_AT_0 = '{"seq":6,"cmd":5,"type":"Allocated","id":"c","family":"f","page":1,"offset":0,"size":100,"units":1,"frag":"none","gap":0}';

/** Cases whose output the files and the FIFOs must agree on: arguments (log names first) and the expected result. */
const CASES: { readonly args: readonly string[]; readonly code: number; readonly stdout: string; readonly stderr?: string }[] = [
  {
    // Worst fit puts c at 256 (the queue's head, 3812 B), best fit at 0 (the exact fit): after command 5
    // a has @0 free, @256 c, @384 free (3684 B, soft remainder); b has @0 c and @256 free (3812 B) to the page's end.
    args: ['w.jsonl', 'b.jsonl'],
    code: 0,
    stdout: [
      'a: w.jsonl (5 commands, 6 facts)',
      'b: b.jsonl (5 commands, 6 facts)',
      'the fact logs part at command 5:',
      `  a: ${ALLOC_C_AT_256}`,
      `  b: ${ALLOC_C_AT_0}`,
      'the states after command 5 differ in 7 ways (a → b):',
      '  policy: worst-fit → best-fit',
      '  f page 1 @0: free 100 B → "c" 100 B',
      '  f page 1 @256: "c" 100 B → free 3812 B',
      '  f page 1 - @384: free 3684 B',
      '  f queue: - 1:384=3684',
      '  f queue: - 1:0=100',
      '  f queue: + 1:256=3812 at the head',
      '',
    ].join('\n'),
  },
  // Before command 5 the heaps are alike: only the policy differs, one way.
  { args: ['w.jsonl', 'b.jsonl', '--at', '3'], code: 0, stdout: 'the states after command 3 differ in 1 way (a → b):\n  policy: worst-fit → best-fit\n' },
  { args: ['w.jsonl', 'b.jsonl', '--at', '0'], code: 0, stdout: 'the states after command 0 differ in 1 way (a → b):\n  policy: worst-fit → best-fit\n' },
  // Peaks are run a's: 200 live bytes first after command 3, the page after command 2.
  { args: ['w.jsonl', 'b.jsonl', '--at', 'peak-live'], code: 0, stdout: 'the states after command 3 differ in 1 way (a → b):\n' },
  { args: ['w.jsonl', 'b.jsonl', '--at', 'peak-heap'], code: 0, stdout: 'the states after command 2 differ in 1 way (a → b):\n' },
  // w is d cut after command 5: d's live peak (command 6) is past w's end, w's (command 3) is not d's.
  { args: ['w.jsonl', 'd.jsonl', '--at', 'peak-live'], code: 0, stdout: 'the states after command 3 are the same\n' },
  { args: ['d.jsonl', 'w.jsonl', '--at', 'peak-live'], code: 2, stdout: '', stderr: 'lmm: diff: --at 6 is past the end of w.jsonl (5 commands)\n' },
  { args: ['w.jsonl', 'd.jsonl', '--at', '6'], code: 2, stdout: '', stderr: 'lmm: diff: --at 6 is past the end of w.jsonl (5 commands)\n' },
  { args: ['d.jsonl', 'w.jsonl', '--at', '6'], code: 2, stdout: '', stderr: 'lmm: diff: --at 6 is past the end of w.jsonl (5 commands)\n' },
  { args: ['d.jsonl', 'w.jsonl', '--at', '5'], code: 0, stdout: 'the states after command 5 are the same\n' },
  // A log and itself.
  { args: ['w.jsonl', 'w.jsonl'], code: 0, stdout: 'a: w.jsonl (5 commands, 6 facts)\nb: w.jsonl (5 commands, 6 facts)\nthe fact logs agree: same facts, in the same order\nthe states after command 5 are the same\n' },
  // One log ends where the other goes on: each state is compared at its own end.
  {
    args: ['w4.jsonl', 'w.jsonl'],
    code: 0,
    stdout: `the fact logs part at command 5:\n  a: (log ended)\n  b: ${ALLOC_C_AT_256}\nthe states after command 4 of a and 5 of b differ in 4 ways (a → b):\n  f page 1 @256: free 3812 B → "c" 100 B\n`,
  },
  {
    args: ['w.jsonl', 'w4.jsonl'],
    code: 0,
    stdout: `the fact logs part at command 5:\n  a: ${ALLOC_C_AT_256}\n  b: (log ended)\nthe states after command 5 of a and 4 of b differ in 4 ways (a → b):\n  f page 1 @256: "c" 100 B → free 3812 B\n`,
  },
  {
    args: ['w.jsonl', 'b.jsonl', '--json'],
    code: 0,
    stdout: `{"firstDivergence":{"cmd":5,"a":${ALLOC_C_AT_256},"b":${ALLOC_C_AT_0}},"changes":[{"kind":"setting","field":"policy","a":"worst-fit","b":"best-fit"},`,
  },
];

/** Checks a result against a case: the code and stderr exactly; stdout exactly when the case ends with a line end, else the case's text is a part of it. */
function expectCase(r: LmmResult, c: (typeof CASES)[number]): void {
  expect({ code: r.code, stderr: r.stderr }, c.args.join(' ')).toEqual({ code: c.code, stderr: c.stderr ?? '' });
  if (c.stdout === '' || c.stdout.startsWith('a: ')) expect(r.stdout, c.args.join(' ')).toBe(c.stdout);
  else expect(r.stdout, c.args.join(' ')).toContain(c.stdout);
}

describe('lmm diff', () => {
  it('prints where two logs part and how their states differ at --at (files, read through their indexes)', async () => {
    for (const c of CASES) expectCase(await lmm('diff', ...c.args), c);
    for (const f of ['w', 'b', 'w4', 'd']) expect(existsSync(join(dir, `${f}.jsonl.idx`)), f).toBe(true);
  });

  it('prints the same when the logs are FIFOs, read front to back without an index', async () => {
    for (const c of CASES.filter((k) => k.args[0] !== k.args[1])) {
      const [a, b] = c.args;
      const fifos = fifosOf(a!, b!);
      expectCase(await lmmInProcess(['diff', ...c.args], { cwd: fifos }), c);
    }
    // One log a file, the other not: both are read front to back; the file's index is not written.
    const fifos = fifosOf('b.jsonl');
    writeFileSync(join(fifos, 'w.jsonl'), readFileSync(join(dir, 'w.jsonl')));
    expectCase(await lmmInProcess(['diff', 'w.jsonl', 'b.jsonl'], { cwd: fifos }), CASES[0]!);
    expect(existsSync(join(fifos, 'w.jsonl.idx'))).toBe(false);
  });

  it('a log cut off mid-line is compared up to its last whole command with a warning; --strict refuses it, in either place', async () => {
    writeFileSync(join(dir, 'cut.jsonl'), logText('worst-fit', PARTING).slice(0, -20)); // command 5's one fact loses its end
    const warning = (name: string) => `lmm: warning: ${name}:7: the last line is cut off; read the log up to command 4\n`;
    const refusal = (name: string) => new RegExp(`^lmm: ${name.replace(/\./g, '\\.')}:7: the last line is cut off \\(fact is not valid JSON\\); without --strict`);
    for (const read of ['file', 'fifo'] as const) {
      const diff = (...args: string[]) => lmmInProcess(['diff', ...args], { cwd: read === 'file' ? dir : fifosOf(...args.filter((f) => f.endsWith('.jsonl'))) });
      // A cut log that is a file is read through its index (written then) as the first log and as the second.
      const idx = join(dir, 'cut.jsonl.idx');
      rmSync(idx, { force: true });
      const lenient = await diff('cut.jsonl', 'w4.jsonl');
      expect({ code: lenient.code, stderr: lenient.stderr }, read).toEqual({ code: 0, stderr: warning('cut.jsonl') });
      expect(lenient.stdout, read).toContain('the fact logs agree'); // the first four commands are w4's
      expect(existsSync(idx), read).toBe(read === 'file');
      rmSync(idx, { force: true });
      const asB = await diff('w4.jsonl', 'cut.jsonl');
      expect({ code: asB.code, stderr: asB.stderr }, read).toEqual({ code: 0, stderr: warning('cut.jsonl') });
      expect(existsSync(idx), read).toBe(read === 'file');
      for (const args of [['cut.jsonl', 'w.jsonl'], ['w.jsonl', 'cut.jsonl']]) {
        const strict = await diff(...args, '--strict');
        expect({ code: strict.code, stdout: strict.stdout }, `${read} ${args.join(' ')}`).toEqual({ code: 2, stdout: '' });
        expect(strict.stderr).toMatch(refusal('cut.jsonl'));
      }
    }
  });

  it('a log whose index cannot be written is compared all the same, with one note after the output', async () => {
    mkdirSync(join(dir, 'ro'));
    for (const f of ['w', 'b']) {
      writeFileSync(join(dir, 'ro', `${f}.jsonl`), readFileSync(join(dir, `${f}.jsonl`)));
      mkdirSync(join(dir, 'ro', `${f}.jsonl.idx`)); // a directory where the index would go
    }
    const r = await lmm('diff', 'ro/w.jsonl', 'ro/b.jsonl', '--at', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('the states after command 3 differ in 1 way (a → b):\n');
    const note = (f: string) => `lmm: note: ro/${f}.jsonl.idx: cannot write (is a directory); the index is built in memory for this run only\n`;
    expect(r.stderr).toBe(note('w') + note('b'));
  });

  it('property: the text and --json agree on where two runs part, and a file and a FIFO print the same', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(commandsArb(LAYOUTS.seed, { minLength: 5, maxLength: 40 }), fc.constantFrom<Policy>('best-fit', 'first-fit', 'address-first-fit'), async (commands, policy) => {
        const [a, b] = [`pa${++n}.jsonl`, `pb${n}.jsonl`];
        writeFileSync(join(dir, a), logText('worst-fit', commands));
        writeFileSync(join(dir, b), logText(policy, commands));
        const [text, json] = [await lmm('diff', a, b), await lmm('diff', a, b, '--json')];
        expect([text.code, json.code, text.stderr, json.stderr]).toEqual([0, 0, '', '']);
        const { firstDivergence, changes } = JSON.parse(json.stdout) as { firstDivergence: { cmd: number } | null; changes: unknown[] };
        const lines = text.stdout.split('\n');
        expect(lines[2]).toBe(firstDivergence === null ? 'the fact logs agree: same facts, in the same order' : `the fact logs part at command ${firstDivergence.cmd}:`);
        // The policies differ, so the states always differ at least in that.
        expect(text.stdout).toContain(`differ in ${changes.length} ${changes.length === 1 ? 'way' : 'ways'} (a → b):\n  policy: worst-fit → ${policy}\n`);
        const piped = await lmmInProcess(['diff', a, b], { cwd: fifosOf(a, b) });
        expect(piped).toEqual(text);
      }),
      { numRuns: propertyRuns(10) },
    );
  });
});
