/**
 * Every command that reads a fact log folds it through the one pipeline (`foldFactLog`), so
 * `show`, `stats`, `diff` and `view` accept and refuse the same logs with the same message:
 * here the same hand-edited logs go to each, which must exit alike and print the same line.
 * Among them the logs that used to fold into states no command could produce (issue 15).
 * Each log is read twice: with no index beside it, and with the index (`LOG.idx`) of the
 * log it was edited from — which is not trusted, so the readers say the same.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@lmm/testkit';
import { lmmInProcess } from '../packages/cli/test/lmmInProcess.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-badlogs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The fact log of a trace, as lines (header first). */
async function record(name: string, trace: string, args: readonly string[] = []): Promise<string[]> {
  writeFileSync(join(tmp, `${name}.trace.jsonl`), trace);
  const r = await lmmInProcess(['run', `${name}.trace.jsonl`, '--facts', `${name}.jsonl`, ...args], { cwd: tmp });
  expect(r.code).toBe(0);
  return readFileSync(join(tmp, `${name}.jsonl`), 'utf8').trimEnd().split('\n');
}

/** `lines` with line `n` (1-based) edited as an object. */
function edit(lines: readonly string[], n: number, f: (o: Record<string, unknown>) => void): string[] {
  return lines.map((l, i) => {
    if (i + 1 !== n) return l;
    const o = JSON.parse(l) as Record<string, unknown>;
    f(o);
    return JSON.stringify(o);
  });
}

/** `lines` without line `n`, the `seq` of the facts after it renumbered. */
function drop(lines: readonly string[], n: number): string[] {
  return lines.filter((_, i) => i + 1 !== n).map((l, i) => (i + 1 >= n ? l.replace(/^\{"seq":\d+/, `{"seq":${i}`) : l));
}

/**
 * What show, stats, diff (the log as A) and view do with the log `text`: exit status and
 * stderr of each. `indexed`: the log is first the unedited one, read once so that its index
 * is written, then edited to `text`; else it has no index.
 */
async function readers(text: string, strict = false, indexed = false): Promise<{ command: string; status: number | null; stderr: string }[]> {
  const idx = join(tmp, 'bad.jsonl.idx');
  rmSync(idx, { force: true });
  if (indexed) {
    writeFileSync(join(tmp, 'bad.jsonl'), `${app.join('\n')}\n`);
    expect((await lmmInProcess(['stats', 'bad.jsonl'], { cwd: tmp })).code).toBe(0);
    expect(existsSync(idx)).toBe(true);
  }
  writeFileSync(join(tmp, 'bad.jsonl'), text);
  const extra = strict ? ['--strict'] : [];
  const runs: [string, string[]][] = [
    ['show', ['show', 'bad.jsonl', ...extra]],
    ['stats', ['stats', 'bad.jsonl', ...extra]],
    ['diff', ['diff', 'bad.jsonl', 'good.jsonl', ...extra]],
    ['view', ['view', 'bad.jsonl', '-o', 'bad.html', ...extra]],
  ];
  const got: { command: string; status: number | null; stderr: string }[] = [];
  for (const [command, args] of runs) {
    const r = await lmmInProcess(args, { cwd: tmp });
    got.push({ command, status: r.code, stderr: r.stderr });
  }
  return got;
}

/** The four readers refuse `text` alike, whether an index of the unedited log is beside it or none: exit 2, the one line `lmm: bad.jsonl:LINE: REASON`. */
async function refusedAlike(text: string, line: number, reason: RegExp, strict = false): Promise<void> {
  const got = [...(await readers(text, strict)), ...(await readers(text, strict, true))];
  for (const r of got) {
    expect({ command: r.command, status: r.status }).toEqual({ command: r.command, status: 2 });
    expect(r.stderr).toBe(got[0]!.stderr);
  }
  const first = got[0]!.stderr;
  expect(first.split('\n')).toHaveLength(2);
  expect(first).toMatch(new RegExp(`^lmm: bad\\.jsonl:${line}: `));
  expect(first.slice(`lmm: bad.jsonl:${line}: `.length).trimEnd()).toMatch(reason);
}

let app: string[];
let best: string[];

beforeAll(async () => {
  app = await record('app', readFileSync(join(REPO_ROOT, 'scenarios', 'testapp.jsonl'), 'utf8'), ['--layout', 'seed']);
  writeFileSync(join(tmp, 'good.jsonl'), `${app.join('\n')}\n`);
  best = await record('wf', readFileSync(join(REPO_ROOT, 'scenarios', 'best-vs-worst-fit.jsonl'), 'utf8'), ['--policy', 'worst-fit']);
});

// Each case runs lmm some 20 times (in process).
describe('show, stats, diff and view accept and refuse the same logs', { timeout: 300_000 }, () => {
  it('the unedited log is read by all four', async () => {
    for (const r of [...(await readers(`${app.join('\n')}\n`)), ...(await readers(`${app.join('\n')}\n`, false, true))]) expect({ command: r.command, status: r.status, stderr: r.stderr }).toEqual({ command: r.command, status: 0, stderr: '' });
  });

  it('the facts of one command split across two commands', async () => {
    // Command 3 is PageRequest + Allocated (lines 4, 5): the Allocated moved into a command of its own.
    const split = app.map((l, i) => (i + 1 >= 5 ? l.replace(/"cmd":(\d+)/, (_, c: string) => `"cmd":${Number(c) + 1}`) : l));
    await refusedAlike(split.join('\n'), 4, /^command 3: a PageRequest must be followed by the Allocated fact it serves$/);
  });

  it("a page request above the header's page limit", async () => {
    await refusedAlike(edit(app, 1, (o) => void (o.maxPages = 0)).join('\n'), 4, /^command 3: the log has PageRequest, Allocated where worst-fit gives Rejected E_OUT_OF_MEMORY /);
  });

  it('a fact that does not fold: a free of a block that is not there', async () => {
    await refusedAlike(edit(app, 11, (o) => void (o.id = 'ghost')).join('\n'), 11, /^command 8: the log has Freed where worst-fit gives Rejected E_NOT_ALLOCATED \(id 'ghost' is not allocated\) for free "ghost"$/);
  });

  it('facts that would fold but are not what the policy gives', async () => {
    // The worst-fit run told as best fit: at command 6 worst fit took the hole, best fit takes the tail.
    await refusedAlike(edit(best, 1, (o) => void (o.policy = 'best-fit')).join('\n'), 8, /^command 6: Allocated fact has offset 1028, but best-fit gives 3084 for alloc "e" \(9 units of "u_t"\)$/);
  });

  it('a Freed fact that empties its page, with its PageRelease dropped (seq renumbered)', async () => {
    await refusedAlike(drop(app, 15).join('\n'), 14, /^command 11: the log has Freed where worst-fit gives Freed, PageRelease for free "emp2"$/);
  });

  it('a log that ends between a Freed fact and its PageRelease', async () => {
    await refusedAlike(app.slice(0, -1).join('\n'), 16, /^command 12: the log has Freed where worst-fit gives Freed, PageRelease for free "stud1"$/);
  });

  it('a large run of more pages than its block needs', async () => {
    const large = await record('large', '{"op":"register","family":"f","size":1}\n{"op":"alloc","id":"x","family":"f","units":4800}\n');
    const forged = edit(edit(large, 3, (o) => void (o.count = 3)), 4, (o) => void (o.gap = Number(o.gap) + 4096));
    await refusedAlike(forged.join('\n'), 3, /^command 2: PageRequest fact has count 3, but worst-fit gives 2 for alloc "x" \(4800 units of "f"\)$/);
  });

  it('a Registered name that no register command accepts', async () => {
    for (const name of ['emp t', 'e'.repeat(200), '<img src=x onerror=alert(1)>']) {
      const renamed = app.map((l) => l.replaceAll('"emp_t"', JSON.stringify(name)));
      await refusedAlike(renamed.join('\n'), 2, /^command 1: the log has Registered where worst-fit gives Rejected E_FAMILY_NAME /);
    }
  });

  it('a cut-off last line: read up to the last whole command with the same warning; --strict refuses it alike', async () => {
    const text = `${app.join('\n')}`.slice(0, -20);
    const got = [...(await readers(text)), ...(await readers(text, false, true))];
    for (const r of got) {
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('lmm: warning: bad.jsonl:17: the last line is cut off; read the log up to command 11 (command 12 lost facts in the cut)\n');
    }
    await refusedAlike(text, 17, /^the last line is cut off \(fact is not valid JSON\); without --strict the log is read up to its last whole command$/, true);
  });
});
