/**
 * The real `lmm` process under hostile conditions: bad input of every kind gives exit 2 and
 * one `lmm: FILE[:LINE]: …` line on stderr, no stack trace, and no output file (nor a
 * temporary one) left behind; output paths that would lose data are refused up front; a run
 * that fills the heap stops with one line instead of V8's crash; a run interrupted by SIGINT
 * or SIGTERM removes its unfinished outputs, and one killed by SIGKILL leaves the final name
 * absent or complete — never a partial file (the next run clears the stale temporary).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpJson, Engine, initialState, LAYOUTS, POLICIES } from '@lmm/core';
import { factLine, foldLog, headerLine, makeHeader } from '@lmm/replay';
import fc from 'fast-check';
import { writeTrace } from '../bench/genTrace.js';
import { modelCommandArb, SimpleModel } from './reliabilityProperties.js';
import { lmmStart, type LmmResult } from '@lmm/testkit';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-reliability-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Result = LmmResult;

/** Starts `lmm ARGS` as a user in `tmp` would (file names relative to it), without pnpm's own lines. */
const start = (args: readonly string[], nodeOptions: readonly string[] = []) => lmmStart(args, { cwd: tmp, nodeOptions });

const lmm = (...args: string[]) => start(args).done;

/** Exit 2, nothing on stdout, exactly one line on stderr matching `line`. */
function expectInputError(r: Result, line: RegExp): void {
  expect({ code: r.code, stdout: r.stdout, lines: r.stderr.split('\n').length - 1 }).toEqual({ code: 2, stdout: '', lines: 1 });
  expect(r.stderr.trimEnd()).toMatch(line);
  expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+|Error:/);
}

/** The names in `dir` (hidden temporary files included). */
const names = (dir = tmp) => readdirSync(dir).sort();

function write(name: string, content: string | Buffer): string {
  writeFileSync(join(tmp, name), content);
  return name;
}

const TRACE = ['{"op":"register","family":"emp_t","size":36}', '{"op":"alloc","id":"e1","family":"emp_t"}', '{"op":"realloc","id":"e1","units":200}', '{"op":"free","id":"e1"}', ''].join('\n');

function factLog(): string {
  const engine = new Engine(initialState({ layout: LAYOUTS.seed, policy: 'worst-fit', maxPages: null }));
  const lines = [headerLine(makeHeader(LAYOUTS.seed, 'worst-fit', null))];
  TRACE.trim()
    .split('\n')
    .forEach((l, i) => {
      for (const f of engine.execute(JSON.parse(l))) lines.push(factLine(lines.length, i + 1, f));
    });
  return `${lines.join('\n')}\n`;
}

describe('bad input through the real CLI: exit 2, one line, no output left behind', () => {
  it('file-level and line-level problems of traces and fact logs', async () => {
    write('bin.jsonl', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0x0a]));
    write('cut.jsonl', `${TRACE}{"op":"alloc","id":"e2","fam`);
    write('trace.log', factLog());
    write('v2.log', factLog().replace('"version":1', '"version":2'));
    write('keep.log', 'precious\n');
    const before = names();
    const results = await Promise.all([
      lmm('run', 'nothere.jsonl', '--facts', 'out1.log'),
      lmm('run', 'bin.jsonl', '--facts', 'out3.log', '--state', 'out3.json'),
      lmm('run', 'cut.jsonl', '--facts', 'keep.log'),
      lmm('run', 'trace.log'),
      lmm('show', 'v2.log'),
    ]);
    const expected = [
      /^lmm: nothere\.jsonl: no such file$/,
      /^lmm: bin\.jsonl:1: binary data \(a NUL byte\): not a text file$/,
      /^lmm: cut\.jsonl:5: the last line is cut off: not valid JSON$/,
      /^lmm: trace\.log:1: this is an lmm fact log, not a command trace/,
      /^lmm: v2\.log:1: fact log version 2 is not supported \(this lmm reads version 1\)$/,
    ];
    results.forEach((r, i) => expectInputError(r, expected[i]!));
    // No output, no temporary file; the existing keep.log was not touched by the failed run.
    expect(names()).toEqual(before);
    expect(readFileSync(join(tmp, 'keep.log'), 'utf8')).toBe('precious\n');
  });

  it('a fact log cut off mid-line: read up to its last whole command with one warning line; --strict refuses it', async () => {
    const log = factLog();
    write('cut.log', log.slice(0, -20));
    const lines = log.trimEnd().split('\n').length;
    const before = names();
    const [stats, show, diff, view] = await Promise.all([
      lmm('stats', 'cut.log', '--json'),
      lmm('show', 'cut.log', '--strict'),
      lmm('diff', 'cut.log', 'cut.log', '--strict'),
      lmm('view', 'cut.log', '--strict', '-o', 'cut.html'),
    ]);
    expect({ code: stats.code, stderr: stats.stderr }).toEqual({ code: 0, stderr: `lmm: warning: cut.log:${lines}: the last line is cut off; read the log up to command 3 (command 4 lost facts in the cut)\n` });
    expect(JSON.parse(stats.stdout).total.obc).toBe(1);
    for (const r of [show, diff, view]) expectInputError(r, new RegExp(`^lmm: cut\\.log:${lines}: the last line is cut off \\(fact is not valid JSON\\); without --strict`));
    // Nothing else is written: only the log's index, by the command that read it.
    expect(names()).toEqual([...before, 'cut.log.idx'].sort());
  });

  it('output paths that would lose data or cannot be written are refused before the run', async () => {
    write('t.jsonl', TRACE);
    const before = names();
    const [missingDir, overInput, twice] = await Promise.all([
      lmm('run', 't.jsonl', '--facts', 'no/such/dir/out.log'),
      lmm('run', 't.jsonl', '--facts', 't.jsonl'),
      lmm('run', 't.jsonl', '--facts', 'same.out', '--state', 'same.out'),
    ]);
    expectInputError(missingDir, /^lmm: no\/such\/dir\/out\.log: cannot write: no such directory$/);
    expectInputError(overInput, /^lmm: t\.jsonl: is also an input of this command \(t\.jsonl\); writing it would replace what is read$/);
    expectInputError(twice, /^lmm: same\.out: named twice as an output of one command$/);
    expect(names()).toEqual(before);
    expect(readFileSync(join(tmp, 't.jsonl'), 'utf8')).toBe(TRACE);
  });
});

describe('limits', () => {
  it('a run that fills the heap stops with one line (exit 1), not V8 crashing, and leaves no output', async () => {
    // 150 000 live ids do not fit in a 48 MB heap.
    const lines = ['{"op":"register","family":"n","size":8}'];
    for (let i = 0; i < 150_000; i++) lines.push(`{"op":"alloc","id":"n${i}","family":"n"}`);
    write('many.jsonl', `${lines.join('\n')}\n`);
    const before = names();
    const r = await start(['run', 'many.jsonl', '--facts', 'many.log'], ['--max-old-space-size=48']).done;
    expect({ code: r.code, stdout: r.stdout, lines: r.stderr.split('\n').length - 1 }).toEqual({ code: 1, stdout: '', lines: 1 });
    expect(r.stderr).toMatch(/^lmm: out of memory: \d+ MB still in use of a \d+ MB heap .*NODE_OPTIONS=--max-old-space-size=\d+\n$/);
    expect(names()).toEqual(before);
  }, 60_000);
});

describe('interrupted runs leave no output, or a whole one', () => {
  const BIG = 'big.jsonl';
  const COMMANDS = 150_000;
  beforeAll(async () => {
    await writeTrace(join(tmp, BIG), COMMANDS, 5000, 7);
  }, 120_000);

  /** Starts a run with both outputs and signals it once its temporary fact log has appeared (the run is under way). */
  async function interrupt(signal: NodeJS.Signals, out: string): Promise<Result> {
    const run = start(['run', BIG, '--facts', `${out}.log`, '--state', `${out}.json`]);
    const temp = `.${out}.log.${run.pid}.tmp`;
    const t0 = Date.now();
    while (!names().includes(temp) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    run.kill(signal);
    return run.done;
  }

  it('SIGINT and SIGTERM: the unfinished outputs are removed, one line says they were not written', async () => {
    const before = names();
    const [int, term] = await Promise.all([interrupt('SIGINT', 'int'), interrupt('SIGTERM', 'term')]);
    expect({ code: int.code, stderr: int.stderr }).toEqual({ code: 130, stderr: 'lmm: interrupted (SIGINT); int.log, int.json not written\n' });
    expect({ code: term.code, stderr: term.stderr }).toEqual({ code: 143, stderr: 'lmm: interrupted (SIGTERM); term.log, term.json not written\n' });
    expect(names()).toEqual(before);
  }, 60_000);

  it('SIGKILL: the final name is absent (a hidden temporary may stay); the next run clears it and writes a whole log', async () => {
    const killed = await interrupt('SIGKILL', 'kill');
    expect(killed.signal).toBe('SIGKILL');
    expect(names().filter((n) => n.startsWith('kill') || n.startsWith('.kill'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\.kill\.log\.\d+\.tmp$/)]),
    );
    expect(names()).not.toContain('kill.log');
    expect(names()).not.toContain('kill.json');
    // The next run to the same name removes the dead process's temporary and writes a whole log.
    write('small.jsonl', TRACE);
    const again = await lmm('run', 'small.jsonl', '--facts', 'kill.log', '--state', 'kill.json');
    expect(again.code).toBe(0);
    expect(names().filter((n) => n.startsWith('kill') || n.startsWith('.kill'))).toEqual(['kill.json', 'kill.log', 'kill.log.idx']);
    const folded = await foldLog(join(tmp, 'kill.log'), { strict: true });
    expect(folded.commands).toBe(4);
    expect(readFileSync(join(tmp, 'kill.json'), 'utf8')).toBe(`${dumpJson(folded.state)}\n`);
  }, 90_000);
});

describe('the CLI against a simple model', () => {
  it('generated traces: the summary’s rejections by code, live blocks and bytes, and the fact log’s live ids are the model’s (3 traces, one process each)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('seed', 'lmm64', 'lmm32'), fc.constantFrom(...POLICIES), fc.array(modelCommandArb, { minLength: 40, maxLength: 120 }), async (layout, policy, commands) => {
        const model = new SimpleModel(LAYOUTS[layout]);
        const rejected: Record<string, number> = {};
        for (const c of commands) {
          const e = model.apply(c);
          if ('rejected' in e) rejected[e.rejected] = (rejected[e.rejected] ?? 0) + 1;
        }
        const name = `model${++n}`;
        write(`${name}.jsonl`, `${commands.map((c) => JSON.stringify(c)).join('\n')}\n`);
        // The format is named: a trace whose first command is hostile (`null`, `7`) cannot be
        // told apart from other formats, and auto-detection rightly refuses it.
        const r = await lmm('run', `${name}.jsonl`, '--format', 'jsonl', '--layout', layout, '--policy', policy, '--facts', `${name}.log`, '--json');
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
        const out = JSON.parse(r.stdout) as { commands: number; rejected: Record<string, number>; total: { obc: number; liveBytes: number } };
        let bytes = 0;
        for (const [, b] of model.live.values()) bytes += b;
        expect({ commands: out.commands, rejected: out.rejected, obc: out.total.obc, liveBytes: out.total.liveBytes }).toEqual({ commands: commands.length, rejected, obc: model.live.size, liveBytes: bytes });
        const folded = await foldLog(join(tmp, `${name}.log`), { strict: true });
        expect([...folded.state.live.keys()].sort()).toEqual([...model.live.keys()].sort());
      }),
      { numRuns: 3 },
    );
  }, 60_000);
});
