/**
 * `lmm compare` (SPEC §5): one row per run in list order, each equal to what a separate
 * `lmm run --json` of that run reports; the same bytes whatever `--jobs`; bad input fails the
 * whole command with `FILE:LINE` and leaves nothing behind. `--jobs 1` runs in process (its
 * jobs run in this thread); `--jobs N` in a child process (its worker threads load the built
 * worker).
 */
import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUTS, POLICIES, type Stats } from '@lmm/core';
import { commandsArb, lmmAsync, REPO_ROOT } from '@lmm/testkit';
import { lmmInProcess } from '../packages/cli/test/lmmInProcess.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-compare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const DRIVER = join(REPO_ROOT, '..', 'shared', 'traces', 'gcc-driver.valgrind.log');

interface Row {
  trace: string;
  layout: string;
  families: string;
  policy: string;
  commands: number;
  rejected: number;
  peakLiveBytes: number;
  peakHeapBytes: number;
  peakUtilization: number;
  peakPages: number;
  final: Stats;
}

/** Runs `tasks` at most `n` at a time. */
async function limited<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

let generated: string;
beforeAll(() => {
  // A generated command trace with some rejections, fixed by its seed.
  const [commands] = fc.sample(commandsArb(LAYOUTS.seed, { minLength: 150, maxLength: 150 }), { numRuns: 1, seed: 7 });
  generated = join(tmp, 'gen.jsonl');
  writeFileSync(generated, `${commands!.map((c) => JSON.stringify(c)).join('\n')}\n`);
});

describe('lmm compare', () => {
  it('prints one row per run in list order, each equal to a separate lmm run --json of it', async () => {
    const r = await lmmInProcess(['compare', 'gen.jsonl', DRIVER, '--layouts', 'seed,lmm32', '--families', 'single,pow2', '--jobs', '1', '--json'], { cwd: tmp });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const rows = (JSON.parse(r.stdout) as { runs: Row[] }).runs;
    const expected: string[] = [];
    for (const trace of ['gen.jsonl', DRIVER]) for (const layout of ['seed', 'lmm32']) for (const families of ['single', 'pow2']) for (const policy of POLICIES) expected.push([trace, layout, families, policy].join(' '));
    expect(rows.map((x) => [x.trace, x.layout, x.families, x.policy].join(' '))).toEqual(expected);
    const runs = await limited(
      4,
      rows.map((x) => () => lmmInProcess(['run', x.trace, '--layout', x.layout, '--families', x.families, '--policy', x.policy, '--json'], { cwd: tmp })),
    );
    rows.forEach((x, i) => {
      const run = runs[i]!;
      expect(run.code, run.stderr).toBe(0);
      const j = JSON.parse(run.stdout) as { total: Stats; peak: { liveBytes: number; heapBytes: number; utilization: number }; commands: number; rejected: Record<string, number> };
      const where = `${x.trace} ${x.layout} ${x.families} ${x.policy}`;
      expect({ peakLiveBytes: x.peakLiveBytes, peakHeapBytes: x.peakHeapBytes, peakUtilization: x.peakUtilization }, where).toEqual({ peakLiveBytes: j.peak.liveBytes, peakHeapBytes: j.peak.heapBytes, peakUtilization: j.peak.utilization });
      expect(x.peakPages * LAYOUTS.seed.pageSize, where).toBe(j.peak.heapBytes);
      expect(x.commands, where).toBe(j.commands);
      expect(x.rejected, where).toBe(Object.values(j.rejected).reduce((a, b) => a + b, 0));
      expect(x.final, where).toEqual(j.total);
    });
    expect(rows.some((x) => x.rejected > 0)).toBe(true);
  }, 240_000);

  it('gives the same bytes (table, JSON, CSV, page) whatever --jobs', async () => {
    const args = ['compare', generated, DRIVER, '--layouts', 'seed,lmm64'];
    const forms = [[], ['--json'], ['--csv']];
    const run = (jobs: number) => (f: string[], k: number) => [...args, ...f, '--jobs', String(jobs), ...(k === 0 ? ['-o', join(tmp, `page${jobs}.html`)] : [])];
    const [one, three] = await Promise.all([Promise.all(forms.map((f, k) => lmmInProcess(run(1)(f, k)))), Promise.all(forms.map((f, k) => lmmAsync(run(3)(f, k))))]);
    for (let k = 0; k < forms.length; k++) {
      expect(three![k]!.code, three![k]!.stderr).toBe(0);
      expect(three![k]!.stdout).toBe(one![k]!.stdout);
    }
    expect(one![0]!.stdout).toMatch(/ \* .*\n\* the best peak utilization/s);
    const page = readFileSync(join(tmp, 'page1.html'), 'utf8');
    expect(readFileSync(join(tmp, 'page3.html'), 'utf8')).toBe(page);
    // Self-contained: no script, nothing fetched; a bar per run and a chart per run.
    expect(page).not.toMatch(/<script|src=|href=/i);
    expect(page.match(/<rect /g)).toHaveLength(16);
    expect(page.match(/<svg class="run"/g)).toHaveLength(16);
  }, 120_000);

  it('bad input: exit 2 with FILE:LINE of the first bad run, nothing on stdout, no page; usage errors likewise', async () => {
    writeFileSync(join(tmp, 'bad.jsonl'), '{"op":"register","family":"a","size":8}\n{"op":"alloc","id":"x","family":"a"}\n{"op":\n');
    const page = join(tmp, 'bad.html');
    const results = await Promise.all(
      ['1', '2'].map((jobs) => (jobs === '1' ? lmmInProcess : lmmAsync)(['compare', 'gen.jsonl', 'bad.jsonl', 'gen.jsonl', '--jobs', jobs, '-o', page], { cwd: tmp })),
    );
    for (const r of results) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^lmm: bad\.jsonl:3: [^\n]+\n$/);
    }
    expect(results[1]!.stderr).toBe(results[0]!.stderr);
    expect(existsSync(page)).toBe(false);
    for (const args of [[], ['gen.jsonl', '--policies', 'best-fit,next-fit'], ['gen.jsonl', '--layouts', 'seed,,lmm64'], ['gen.jsonl', '--families', 'pow3'], ['gen.jsonl', '--json', '--csv'], ['gen.jsonl', '--jobs', '0'], ['missing.jsonl']]) {
      // In process, in this thread (--jobs 1) unless the case is about --jobs.
      const r = await lmmInProcess(['compare', ...args, ...(args.includes('--jobs') ? [] : ['--jobs', '1'])], { cwd: tmp });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
  }, 120_000);
});
