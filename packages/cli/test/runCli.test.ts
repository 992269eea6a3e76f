/**
 * `lmm run` in process (runCli), against values worked out apart from the CLI: a scenario
 * whose numbers are checked by hand in the comments below, and random runs whose `--json`
 * peak is the naive model's (testkit's naivePeak). Also the option errors of SPEC §5:
 * exit 2 and one `lmm: …` line, nothing on stdout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { naivePeak, propertyRuns, scenarioArb } from '@lmm/testkit';
import { runCli } from '../src/runCli.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-runcli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What one in-process `lmm ARGS` did. */
interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `lmm ARGS` in process and captures its output. */
async function lmm(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

let traces = 0;
/** A trace file of these commands, one JSON value a line. */
function trace(commands: readonly unknown[]): string {
  const path = join(tmp, `t${++traces}.jsonl`);
  writeFileSync(path, commands.map((c) => `${JSON.stringify(c)}\n`).join(''));
  return path;
}

// Layout seed: pageSize 4096, header 0, meta 28, maxAlloc 4068. Family a is 100 bytes.
const SCENARIO = [
  { op: 'register', family: 'a', size: 100 }, //  1: Registered
  { op: 'alloc', id: 'x1', family: 'a', units: 10 }, //  2: PageRequest 1, x1 1000 B at 0, free 3040 at 1028. live 1000, heap 4096 (heap peak, first)
  { op: 'alloc', id: 'x2', family: 'a', units: 20 }, //  3: x2 2000 B at 1028, free 1012 at 3056. live 3000 (live peak, first)
  { op: 'free', id: 'x2' }, //  4: Freed, merged {1028, 3040}. live 1000
  { op: 'alloc', id: 'x3', family: 'a', units: 20 }, //  5: x3 2000 B at 1028 again. live 3000 (the peak again: not the first)
  { op: 'alloc', id: 'x1', family: 'a' }, //  6: Rejected E_ID_IN_USE
  { op: 'free', id: 'ghost' }, //  7: Rejected E_NOT_ALLOCATED
  { op: 'free', id: 'x3' }, //  8: Freed. live 1000
  { op: 'free', id: 'x1' }, //  9: Freed, merged {0, 4068}, PageRelease. live 0, heap 0
  { op: 'alloc', id: 'y', family: 'a' }, // 10: PageRequest 2, y 100 B at 0, free 3940 at 128. live 100, heap 4096 (heap peak again)
];
// Facts: 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 2 + 2 = 13. Peak utilization 3000/4096 = 73.24%.
// Final: 1 page, y (100 B + a 28-byte meta block = AppMemUsage 128) and one free block of
// 3940 B; util 100/4096 = 2.4%; 2 page requests, none avoidable (the family's free bytes
// were 0 before each).

describe('lmm run against hand-checked values', () => {
  it('the text summary: counts, the peaks with the first command reaching them, the final table, the rejections by code', async () => {
    const file = trace(SCENARIO);
    const r = await lmm('run', file);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`lmm run ${file}: 10 commands, 13 facts (layout seed, worst-fit)`);
    expect(lines[1]).toBe('peak: 3000 live bytes (after command 3) in 4096 heap bytes, 1 page (after command 2); peak utilization 73.2%');
    expect(lines[2]).toBe("page requests: 2, of which avoidable growth: 0 (requested while the family's free bytes would have held the block)");
    expect(lines[3]).toBe('final state, after command 10:');
    expect(lines[4]!.split(/\s+/)).toEqual(['family', 'size', 'pages', 'TBC', 'FBC', 'OBC', 'AppMemUsage', 'live', 'free', 'hardIF', 'softIF', 'largestFree', 'extFrag', 'util', 'pageReqs', 'avoidable']);
    expect(lines[5]!.split(/\s+/)).toEqual(['a', '100', '1', '2', '1', '1', '128', '100', '3940', '0', '0', '3940', '0.0%', '2.4%', '2', '0']);
    expect(lines[6]!.split(/\s+/)).toEqual(['total', '1', '2', '1', '1', '128', '100', '3940', '0', '0', '3940', '0.0%', '2.4%', '2', '0']);
    expect(lines[7]).toBe('# of VM pages in use: 1 (4096 bytes)');
    expect(lines[8]).toBe('Total memory being used by the memory manager: 4096 bytes');
    expect(lines.at(-1)).toBe('rejected: E_ID_IN_USE 1, E_NOT_ALLOCATED 1');
    // The table's columns line up: every row as wide as the header, numbers right-aligned.
    expect(new Set(lines.slice(4, 7).map((l) => l.length)).size).toBe(1);
    expect(lines[5]!.indexOf('3940')).toBeLessThan(lines[4]!.indexOf('free') + 'free'.length);
    expect(lines[9]).toMatch(/^TBC\/FBC\/OBC total\/free\/occupied blocks; /);
  });

  it('a large block of 2 pages: the peak line counts pages in the plural', async () => {
    // 5000 B > maxAlloc 4068: k = ceil((0 + 28 + 5000) / 4096) = 2 pages, 8192 heap bytes.
    const r = await lmm('run', trace([{ op: 'register', family: 'b', size: 1 }, { op: 'alloc', id: 'big', family: 'b', units: 5000 }]));
    expect(r.stdout.split('\n')[1]).toBe('peak: 5000 live bytes (after command 2) in 8192 heap bytes, 2 pages (after command 2); peak utilization 61.0%');
  });

  it('--json: the final statistics, the peak (running maximum, not the last state), the counts and the rejections', async () => {
    const r = await lmm('run', trace(SCENARIO), '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.peak).toEqual({ liveBytes: 3000, heapBytes: 4096, utilization: 3000 / 4096 });
    expect(out.commands).toBe(10);
    expect(out.facts).toBe(13);
    expect(out.rejected).toEqual({ E_ID_IN_USE: 1, E_NOT_ALLOCATED: 1 });
    expect(out.total).toMatchObject({ pages: 1, heapBytes: 4096, tbc: 2, fbc: 1, obc: 1, liveBytes: 100, appMemUsage: 128, freeBytes: 3940, largestFree: 3940, pageRequests: 2, avoidableGrowth: 0 });
    expect(naivePeak({ pageSize: 4096, pageHeaderSize: 0, metaSize: 28 }, 'worst-fit', null, SCENARIO)).toEqual({
      liveBytes: 3000,
      liveCmd: 3,
      heapBytes: 4096,
      heapCmd: 2,
      pages: 1,
      utilization: 3000 / 4096,
    });
  });

  it('a run with no rejection says so; a run that never holds a page says that', async () => {
    const ok = await lmm('run', trace(SCENARIO.slice(0, 5)));
    expect(ok.stdout.trimEnd().split('\n').at(-1)).toBe('rejected: none');
    const none = await lmm('run', trace([{ op: 'register', family: 'a', size: 8 }, { op: 'free', id: 'z' }]));
    expect(none.stdout.split('\n')[1]).toBe('peak: the heap never held a page');
    expect(none.stdout.trimEnd().split('\n').at(-1)).toBe('rejected: E_NOT_ALLOCATED 1');
  });

  it('--max-pages 0 is a limit of no page: accepted, and every page request is refused', async () => {
    const r = await lmm('run', trace(SCENARIO), '--max-pages', '0');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/\(layout seed, worst-fit, at most 0 pages\)$/);
    expect(lines[1]).toBe('peak: the heap never held a page');
    // Commands 2, 3, 5, 6 (x1 is not live here) and 10 ask for a page; 4, 7, 8 and 9 free ids not live.
    expect(lines.at(-1)).toBe('rejected: E_OUT_OF_MEMORY 5, E_NOT_ALLOCATED 4');
  });

  it('--max-pages 1 is singular in the header', async () => {
    const r = await lmm('run', trace(SCENARIO), '--max-pages', '1', '--policy', 'best-fit', '--layout', 'lmm64');
    expect(r.stdout.split('\n')[0]).toMatch(/\(layout lmm64, best-fit, at most 1 page\)$/);
  });
});

describe('lmm run: option errors are exit 2 and one line, nothing on stdout', () => {
  const file = (() => {
    let path: string | undefined;
    return () => (path ??= trace(SCENARIO));
  })();
  it.each<[string[], RegExp]>([
    [['--policy', 'next-fit'], /^lmm: --policy: unknown policy 'next-fit' \(worst-fit, best-fit, first-fit, address-first-fit\)$/],
    [['--policy', 'Worst-Fit'], /^lmm: --policy: unknown policy 'Worst-Fit'/],
    [['--policy', ''], /^lmm: --policy: unknown policy ''/],
    [['--max-pages', '-1'], /^lmm: .*max-pages/],
    [['--max-pages', '1.5'], /^lmm: --max-pages: '1\.5' is not an integer ≥ 0$/],
    [['--max-pages', 'x'], /^lmm: --max-pages: 'x' is not an integer ≥ 0$/],
    [['--layout', '128:0:0'], /^lmm: --layout: /],
    [['--layout', '2097152:0:0'], /^lmm: --layout: /],
    [['--layout', '4096:0:4096'], /^lmm: --layout: /],
    [['--layout', 'big'], /^lmm: --layout: /],
    [['--format', 'csv'], /^lmm: --format: unknown format 'csv'/],
    [['--families', 'pow3'], /^lmm: --families: unknown mapping 'pow3'/],
    [['--bogus'], /^lmm: /],
  ])('run T %j', async (options, message) => {
    const r = await lmm('run', file(), ...options);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });

  it('every policy SPEC §5 names is accepted', async () => {
    for (const policy of ['worst-fit', 'best-fit', 'first-fit', 'address-first-fit']) {
      const r = await lmm('run', file(), '--policy', policy);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[0]).toContain(`, ${policy})`);
    }
  });

  it('an unknown command, a missing trace, no argument', async () => {
    expect(await lmm('frobnicate')).toEqual({ code: 2, stdout: '', stderr: "lmm: unknown command 'frobnicate' (lmm --help lists the commands)\n" });
    const missing = await lmm('run', join(tmp, 'no-such.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);
    const none = await lmm();
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
  });
});

describe('lmm run --json against the naive model', () => {
  it('the peak is the naive model’s running maximum, for random runs of every layout, policy and page limit', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ maxLength: 60 }), async ({ options: { layout, policy, maxPages }, commands }) => {
        // The commands as the trace file carries them (JSON), for the model too.
        const lines = commands.filter((c) => JSON.stringify(c) !== undefined).map((c) => JSON.parse(JSON.stringify(c)) as unknown);
        const args = ['run', trace(lines), '--format', 'jsonl', '--json', '--layout', `${layout.pageSize}:${layout.pageHeaderSize}:${layout.metaSize}`, '--policy', policy];
        if (maxPages !== null) args.push('--max-pages', String(maxPages));
        const r = await lmm(...args);
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout) as { peak: unknown; commands: number };
        const want = naivePeak(layout, policy, maxPages, lines);
        expect(out.commands).toBe(lines.length);
        expect(out.peak).toEqual({ liveBytes: want.liveBytes, heapBytes: want.heapBytes, utilization: want.utilization });
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});
