/**
 * Every scenario runs as written: `lmm run scenarios/X` applies the trace's first
 * `# lmm: …` line (options on the command line win) and says so on stderr; its fact log is
 * the one the engine gives under those options. The summary puts the peak first.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, initialState, isPolicy, parseLayout, type Layout, type Policy } from '@lmm/core';
import { factLine, headerLine, makeHeader, readTrace } from '@lmm/replay';
import { lmmAsync, REPO_ROOT, type LmmResult } from '@lmm/testkit';
import { lmmInProcess } from '../packages/cli/test/lmmInProcess.js';
import { findOptionLine } from '../packages/cli/src/optionLine.js';

const SCENARIOS = join(REPO_ROOT, 'scenarios');
const tmp = mkdtempSync(join(tmpdir(), 'lmm-scenarios-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const names = readdirSync(SCENARIOS).filter((f) => f.endsWith('.jsonl')).sort();

/** The fact log the engine writes for `file` under the options of one option line. */
async function expectedLog(file: string, words: readonly string[]): Promise<string> {
  let layout = parseLayout('seed') as Layout;
  let policy: Policy = 'worst-fit';
  let maxPages: number | null = null;
  for (let i = 0; i < words.length; i += 2) {
    const [name, value] = [words[i]!, words[i + 1]!];
    if (name === '--layout') layout = parseLayout(value) as Layout;
    else if (name === '--policy' && isPolicy(value)) policy = value;
    else if (name === '--max-pages') maxPages = Number(value);
    else throw new Error(`${file}: option ${name} not handled by this test`);
  }
  const engine = new Engine(initialState({ layout, policy, maxPages }));
  const lines = [headerLine(makeHeader(layout, policy, maxPages))];
  let cmd = 0;
  for await (const batch of readTrace(file, { layout, format: 'jsonl' })) {
    for (const { command } of batch) {
      cmd++;
      for (const f of engine.execute(command)) lines.push(factLine(lines.length, cmd, f));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Runs `jobs` at most `width` at a time (a two-core machine shared with others). */
async function pooled<T>(jobs: (() => Promise<T>)[], width = 3): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

describe('scenarios run as written', () => {
  it('the option line is the first # lmm: line among the comments before the first command', () => {
    expect(findOptionLine('# about\n# lmm: --layout lmm64\n# lmm: --policy best-fit\n{"op":"register"}\n')).toEqual({ line: 2, words: ['--layout', 'lmm64'] });
    expect(findOptionLine('# about\n{"op":"register"}\n# lmm: --layout lmm64\n')).toBeUndefined();
    expect(findOptionLine('==12== Memcheck\n')).toBeUndefined();
    expect(findOptionLine('\n\n#lmm:   --max-pages 2  \r\n')).toEqual({ line: 3, words: ['--max-pages', '2'] });
  });

  it('lmm run scenarios/X applies X’s first option line, says so on stderr, and writes the log of those options', async () => {
    const results: LmmResult[] = await pooled(names.map((name) => () => lmmInProcess(['run', `scenarios/${name}`, '--facts', join(tmp, name), '--json'])));
    for (const [i, name] of names.entries()) {
      const r = results[i]!;
      const text = readFileSync(join(SCENARIOS, name), 'utf8');
      const found = findOptionLine(text)!;
      expect(found, name).toBeDefined();
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe(`lmm: using options from scenarios/${name}:${found.line}: ${found.words.join(' ')}\n`);
      expect(readFileSync(join(tmp, name), 'utf8'), name).toBe(await expectedLog(join(SCENARIOS, name), found.words));
    }
  });

  it('page-limit.jsonl as is: out-of-memory rejections, the peak first, then the final state and its legend', async () => {
    const r = await lmmInProcess(['run', 'scenarios/page-limit.jsonl']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('lmm run scenarios/page-limit.jsonl: 9 commands, 11 facts (layout seed, worst-fit, at most 2 pages)');
    expect(lines[1]).toMatch(/^peak: 8000 live bytes \(after command 5\) in 8192 heap bytes, 2 pages \(after command 4\); peak utilization 97\.7%$/);
    expect(lines[2]).toBe("page requests: 2, of which avoidable growth: 0 (requested while the family's free bytes would have held the block)");
    expect(lines[3]).toBe('final state, after command 9:');
    expect(lines).toContain('TBC/FBC/OBC total/free/occupied blocks; AppMemUsage live bytes + a meta block each; hardIF/softIF hard/soft internal fragmentation bytes; extFrag 1 − largest free/free bytes; util live/heap bytes; pageReqs page requests so far; avoidable those made while the family’s free bytes would have held the block');
    expect(lines.at(-1)).toBe('rejected: E_OUT_OF_MEMORY 2');
  });

  it('the command line wins over the option line; a trace from standard input has its option line read too', async () => {
    const [wins, piped] = await Promise.all([
      lmmInProcess(['run', 'scenarios/page-limit.jsonl', '--max-pages', '10', '--json']),
      lmmAsync(['run', '-', '--json'], { input: readFileSync(join(SCENARIOS, 'page-limit.jsonl')) }),
    ]);
    expect(wins.stderr).toBe("lmm: using options from scenarios/page-limit.jsonl:4: --layout seed (the command line's --max-pages wins)\n");
    expect((JSON.parse(wins.stdout) as { rejected: object }).rejected).toEqual({ E_ID_IN_USE: 1 });
    expect(piped.stderr).toBe('lmm: using options from -:4: --layout seed --max-pages 2\n');
    expect((JSON.parse(piped.stdout) as { rejected: object }).rejected).toEqual({ E_OUT_OF_MEMORY: 2 });
  });

  it('an option line that sets an output or is malformed is an input error at its line', async () => {
    writeFileSync(join(tmp, 'sets-facts.jsonl'), '# lmm: --facts x.jsonl\n{"op":"register","family":"f","size":8}\n');
    writeFileSync(join(tmp, 'bad-value.jsonl'), '# a trace\n# lmm: --layout nowhere\n{"op":"register","family":"f","size":8}\n');
    const [facts, bad] = await Promise.all([lmmInProcess(['run', 'sets-facts.jsonl'], { cwd: tmp }), lmmInProcess(['run', 'bad-value.jsonl'], { cwd: tmp })]);
    expect(facts).toMatchObject({ code: 2, stdout: '' });
    expect(facts.stderr).toMatch(/^lmm: sets-facts\.jsonl:1: the option line sets --facts; a trace may set only --format, .*\n$/);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/^lmm: .*layout.*nowhere.*\n$/);
  });
});
