/**
 * runCli in process: what `lmm` does before and after a command (help, version, the exit
 * status and the one `lmm: …` line of SPEC §5 for each kind of error), and `lmm run`'s
 * outputs (--facts, --state, --switch, every --format and --families) against the naive model of SPEC §1 (testkit's NaiveHeap), not against the CLI.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { LAYOUTS, type Policy } from '@lmm/core';
import { NaiveHeap, REPO_ROOT, type ModelFact } from '@lmm/testkit';
import { commands } from '../src/commands.js';
import { commandHelp, mainHelp } from '../src/helpText.js';
import { ClosedStdout } from '../src/outputFile.js';
import { RUN_SPEC } from '../src/runSpec.js';
import { runCli } from '../src/runCli.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-dispatch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `lmm ARGS` in process; `write` replaces standard output's writer (to make it fail). */
async function lmm(args: string[], write?: (text: string) => unknown): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: write ?? ((t: string) => (stdout += t)) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

const specs = [...commands.values()].map((c) => c.spec);
const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;

describe('lmm without a command, help and version', () => {
  it('no argument: the help on stderr, status 2', async () => {
    expect(await lmm([])).toEqual({ code: 2, stdout: '', stderr: `${mainHelp(specs)}\n` });
  });

  it.each([['--help'], ['-h'], ['help']])('%s: the help on stdout, status 0', async (flag) => {
    expect(await lmm([flag])).toEqual({ code: 0, stdout: `${mainHelp(specs)}\n`, stderr: '' });
  });

  it.each([['--version'], ['-V']])('%s: lmm and the package version', async (flag) => {
    expect(await lmm([flag])).toEqual({ code: 0, stdout: `lmm ${version}\n`, stderr: '' });
  });

  it('help run, run --help and run -h print the command help', async () => {
    const text = `${commandHelp(RUN_SPEC)}\n`;
    expect(await lmm(['help', 'run'])).toEqual({ code: 0, stdout: text, stderr: '' });
    expect(await lmm(['run', '--help'])).toEqual({ code: 0, stdout: text, stderr: '' });
    expect(await lmm(['run', 'x.jsonl', '-h'])).toEqual({ code: 0, stdout: text, stderr: '' });
  });

  it('help for two commands, or for one that does not exist, is a usage error', async () => {
    expect(await lmm(['help', 'run', 'show'])).toEqual({ code: 2, stdout: '', stderr: 'lmm: help: one command at a time (got run show)\n' });
    expect(await lmm(['help', 'nope'])).toEqual({ code: 2, stdout: '', stderr: "lmm: unknown command 'nope' (lmm --help lists the commands)\n" });
    expect(await lmm(['a\nb'])).toEqual({ code: 2, stdout: '', stderr: "lmm: unknown command 'a b' (lmm --help lists the commands)\n" });
  });
});

describe('errors as SPEC §5 wants them: one line, the status by kind', () => {
  const trace = join(tmp, 'one.jsonl');
  writeFileSync(trace, '{"op":"register","family":"a","size":8}\n');

  it('anything unexpected is status 1 with one line, messages of several lines joined', async () => {
    const r = await lmm(['run', trace], () => {
      throw new Error('disk\n   on fire\r\n now');
    });
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'lmm: unexpected error: disk on fire now\n' });
  });

  it('V8 running out of memory is said as such; a thrown non-Error is shown as text', async () => {
    const oom = await lmm(['run', trace], () => {
      throw new RangeError('Invalid string length');
    });
    expect(oom.stderr).toBe('lmm: unexpected error: out of memory (Invalid string length)\n');
    const other = await lmm(['run', trace], () => {
      throw new RangeError('Invalid array index');
    });
    expect(other.stderr).toBe('lmm: unexpected error: Invalid array index\n');
    const text = await lmm(['run', trace], () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'plain text';
    });
    expect(text).toEqual({ code: 1, stdout: '', stderr: 'lmm: unexpected error: plain text\n' });
  });

  it('LMM_DEBUG adds the stack after the line; without it there is none', async () => {
    const fail = () => {
      throw new Error('boom');
    };
    expect((await lmm(['run', trace], fail)).stderr).toBe('lmm: unexpected error: boom\n');
    vi.stubEnv('LMM_DEBUG', '1');
    const r = await lmm(['run', trace], fail);
    expect(r.stderr.split('\n')[0]).toBe('lmm: unexpected error: boom');
    expect(r.stderr.split('\n')[1]).toMatch(/^Error: boom$/);
  });

  it('a message ending in a line break is still one line; LMM_DEBUG with a thrown undefined prints an empty stack', async () => {
    const r = await lmm(['run', trace], () => {
      throw new Error('  boom\n');
    });
    expect(r.stderr).toBe('lmm: unexpected error: boom\n');
    vi.stubEnv('LMM_DEBUG', '1');
    const u = await lmm(['run', trace], () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw undefined;
    });
    expect(u).toEqual({ code: 1, stdout: '', stderr: 'lmm: unexpected error: undefined\n\n' });
  });

  it('standard output closed by its reader is status 0, silently', async () => {
    const r = await lmm(['run', trace], () => {
      throw new ClosedStdout('closed');
    });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('bad input is status 2 with FILE:LINE', async () => {
    const bad = join(tmp, 'bad.jsonl');
    writeFileSync(bad, '{"op":"register","family":"a","size":8}\n{not json\n');
    const r = await lmm(['run', bad, '--format', 'jsonl']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^lmm: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: .+\n$`));
  });
});

/** The naive model's facts for `commands`, with an optional switch of policy after command `switchAt`. */
function modelFacts(policy: Policy, commandsRun: readonly unknown[], change?: { cmd: number; policy: Policy }): { cmd: number; fact: ModelFact }[] {
  const heap = new NaiveHeap(LAYOUTS.seed, policy, null);
  return commandsRun.flatMap((c, i) => {
    const facts = heap.run(c).map((fact) => ({ cmd: i + 1, fact }));
    if (change !== undefined && i + 1 === change.cmd) heap.policy = change.policy;
    return facts;
  });
}

/** A fact log's facts as the model writes them (Rejected without its message). */
function loggedFacts(text: string): { cmd: number; fact: ModelFact }[] {
  return text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => {
      const { seq: _seq, cmd, ...fact } = JSON.parse(l) as Record<string, unknown> & { cmd: number };
      if (fact.type === 'Rejected') delete fact.message;
      return { cmd, fact: fact as unknown as ModelFact };
    });
}

describe('lmm run writes what the naive model says', () => {
  // Three families of free blocks: first-fit and worst-fit choose differently at command 9.
  const TRACE = [
    { op: 'register', family: 'a', size: 100 },
    { op: 'alloc', id: 'p', family: 'a', units: 5 },
    { op: 'alloc', id: 'q', family: 'a', units: 1 },
    { op: 'alloc', id: 'r', family: 'a', units: 20 },
    { op: 'alloc', id: 's', family: 'a', units: 1 },
    { op: 'free', id: 'p' },
    { op: 'free', id: 'r' },
    { op: 'free', id: 'nobody' },
    { op: 'alloc', id: 't', family: 'a', units: 1 },
    { op: 'realloc', id: 't', units: 3, to: 'u' },
  ];
  const file = join(tmp, 'trace.jsonl');
  writeFileSync(file, TRACE.map((c) => JSON.stringify(c)).join('\n') + '\n');

  it('--facts FILE and --state FILE: the facts and the final state dump of SPEC §3', async () => {
    const facts = join(tmp, 'facts.jsonl');
    const state = join(tmp, 'state.json');
    const r = await lmm(['run', file, '--facts', facts, '--state', state]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^lmm run .*: 10 commands, /);
    const log = readFileSync(facts, 'utf8');
    expect(JSON.parse(log.split('\n')[0]!)).toEqual({ format: 'lmm-log', version: 1, layout: LAYOUTS.seed, policy: 'worst-fit', maxPages: null });
    expect(loggedFacts(log)).toEqual(modelFacts('worst-fit', TRACE));
    const model = new NaiveHeap(LAYOUTS.seed, 'worst-fit', null);
    for (const c of TRACE) model.run(c);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual(model.dump());
    expect(readFileSync(state, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('--switch 8:first-fit: worst-fit up to command 8, first-fit after; the summary and the header say so', async () => {
    const facts = join(tmp, 'switch.jsonl');
    const r = await lmm(['run', file, '--switch', '8:first-fit', '--facts', facts]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`lmm run ${file}: 10 commands, ${loggedFacts(readFileSync(facts, 'utf8')).length} facts (layout seed, worst-fit, first-fit after command 8)`);
    const log = readFileSync(facts, 'utf8');
    expect(JSON.parse(log.split('\n')[0]!)).toMatchObject({ policy: 'worst-fit', switch: { cmd: 8, policy: 'first-fit' } });
    const want = modelFacts('worst-fit', TRACE, { cmd: 8, policy: 'first-fit' });
    expect(loggedFacts(log)).toEqual(want);
    // The switch matters here: worst-fit throughout places t elsewhere.
    expect(want).not.toEqual(modelFacts('worst-fit', TRACE));
  });
  it('--facts or --state naming the trace itself is refused before anything is written', async () => {
    const before = readFileSync(file, 'utf8');
    for (const option of ['--facts', '--state']) {
      const r = await lmm(['run', file, option, file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('is also an input of this command');
      expect(readFileSync(file, 'utf8')).toBe(before);
    }
  });

  it('a trace of comments only: 0 commands, no page ever held, nothing rejected', async () => {
    const empty = join(tmp, 'empty.jsonl');
    writeFileSync(empty, '# no command\n\n');
    const r = await lmm(['run', empty, '--format', 'jsonl']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`lmm run ${empty}: 0 commands, 0 facts (layout seed, worst-fit)`);
    expect(lines[1]).toBe('peak: the heap never held a page');
    expect(lines.at(-1)).toBe('rejected: none');
  });

  it("a reader's warning is printed as a line of its own on stderr, and the run goes on", async () => {
    const extra = join(tmp, 'extra.rep');
    // The header says 2 operations; a third follows.
    writeFileSync(extra, '20000\n1\n2\n1\na 0 10\nf 0\na 1 10\n');
    const r = await lmm(['run', extra, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^lmm: warning: .*extra\.rep:7: .*\n$/);
    expect(JSON.parse(r.stdout)).toMatchObject({ commands: 3 });
  });

  // '-' (standard output) is written to descriptor 1 itself, out of a capture's reach: test/pipes.test.ts runs it in a process of its own.
});

describe('lmm run: every --format and --families', () => {
  // malloc-lab .rep: 4 header numbers, then a 0 100, a 1 5000 (larger than a page), f 0, f 1.
  const rep = join(tmp, 'small.rep');
  writeFileSync(rep, '20000\n2\n4\n1\na 0 100\na 1 5000\nf 0\nf 1\n');

  it.each<[string, string, number, string]>([
    // single: heap (size 1) registered as the first command, then the 4 ops.
    ['auto', 'single', 5, 'heap'],
    ['rep', 'single', 5, 'heap'],
    // pow2: c128 registered before a 0, large before a 1.
    ['rep', 'pow2', 6, 'c128'],
    // exact: s100 and large.
    ['rep', 'exact', 6, 's100'],
  ])('--format %s --families %s', async (format, families, count, firstFamily) => {
    const r = await lmm(['run', rep, '--format', format, '--families', families, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { commands: number; families: { name: string }[]; peak: { liveBytes: number } };
    expect(out.commands).toBe(count);
    expect(out.families[0]!.name).toBe(firstFamily);
    // Both blocks live after the second alloc: 100 + 5000 bytes (pow2 rounds 100 up to 128).
    expect(out.peak.liveBytes).toBe(families === 'pow2' ? 128 + 5000 : 5100);
  });

  it('--format jsonl reads a command trace; valgrind finds no allocator call in it (exit 2)', async () => {
    const jsonl = join(tmp, 'f.jsonl');
    writeFileSync(jsonl, '{"op":"register","family":"a","size":8}\n');
    expect((await lmm(['run', jsonl, '--format', 'jsonl'])).code).toBe(0);
    const v = await lmm(['run', jsonl, '--format', 'valgrind']);
    expect(v.code).toBe(2);
    expect(v.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a valgrind log under --format valgrind and auto', async () => {
    const vg = join(tmp, 'v.log');
    writeFileSync(vg, '--7-- malloc(10) = 0x10\n--7-- free(0x10)\n');
    for (const format of ['valgrind', 'auto']) {
      const r = await lmm(['run', vg, '--format', format, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ commands: 3, peak: { liveBytes: 10 } });
    }
  });

  it('compare --jobs 0 is refused: a pool needs a thread', async () => {
    expect(await lmm(['compare', rep, '--jobs', '0'])).toEqual({ code: 2, stdout: '', stderr: "lmm: --jobs: '0' is not an integer ≥ 1\n" });
  });

  it('--max-pages takes up to 15 digits', async () => {
    expect((await lmm(['run', rep, '--max-pages', '999999999999999'])).code).toBe(0);
    const r = await lmm(['run', rep, '--max-pages', '9999999999999999']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: "lmm: --max-pages: '9999999999999999' is not an integer ≥ 0\n" });
  });
});
