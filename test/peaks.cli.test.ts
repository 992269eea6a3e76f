/**
 * `--at peak-live` and `--at peak-heap` (SPEC §5) for `show`, `stats`, `diff` and `view`: the
 * first command after which the run's peak live bytes, or peak heap bytes, was reached.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpJson, Engine, initialState, LAYOUTS, NO_PEAK, nextPeak, POLICIES, statsOf, type HeapState } from '@lmm/core';
import { factLine, headerLine, makeHeader } from '@lmm/replay';
import { commandsArb } from '@lmm/testkit';
import { lmmInProcess } from '../packages/cli/test/lmmInProcess.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-peaks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs commands, writes the fact log, returns every state (index = command). */
function logOf(path: string, commands: readonly unknown[], policy: (typeof POLICIES)[number]): HeapState[] {
  const engine = new Engine(initialState({ layout: LAYOUTS.seed, policy }));
  const lines = [headerLine(makeHeader(LAYOUTS.seed, policy, null))];
  const states = [engine.snapshot()];
  commands.forEach((c, i) => {
    for (const f of engine.execute(c)) lines.push(factLine(lines.length, i + 1, f));
    states.push(engine.snapshot());
  });
  writeFileSync(path, `${lines.join('\n')}\n`);
  return states;
}

/** The first command whose state has the most of `measure` (0 when it never grows). */
function firstPeak(states: readonly HeapState[], measure: (s: HeapState) => number): number {
  let best = 0;
  states.forEach((s, c) => {
    if (measure(s) > measure(states[best]!)) best = c;
  });
  return best;
}

describe('--at peak-live / peak-heap', () => {
  it('show, stats and diff take the first command that reached the peak; view opens there', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(commandsArb(LAYOUTS.seed, { minLength: 20, maxLength: 80 }), fc.constantFrom(...POLICIES), async (commands, policy) => {
        const a = join(tmp, `a${++n}.log`);
        const b = join(tmp, `b${n}.log`);
        const states = logOf(a, commands, policy);
        logOf(b, commands, policy === 'best-fit' ? 'worst-fit' : 'best-fit');
        const live = firstPeak(states, (s) => s.liveBytes);
        const heap = firstPeak(states, (s) => s.pagesInUse);
        const html = join(tmp, `v${n}.html`);
        const [showLive, showHeap, statsLive, statsHeap, diffHeap, diffAt, view] = await Promise.all([
          lmmInProcess(['show', a, '--at', 'peak-live', '--json']),
          lmmInProcess(['show', a, '--at', 'peak-heap', '--json']),
          lmmInProcess(['stats', a, '--at', 'peak-live', '--json']),
          lmmInProcess(['stats', a, '--at', 'peak-heap']),
          lmmInProcess(['diff', a, b, '--at', 'peak-heap', '--json']),
          lmmInProcess(['diff', a, b, '--at', String(heap), '--json']),
          lmmInProcess(['view', a, '--at', 'peak-live', '-o', html]),
        ]);
        for (const r of [showLive, showHeap, statsLive, statsHeap, diffHeap, diffAt, view]) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
        expect(showLive.stdout).toBe(`${dumpJson(states[live]!)}\n`);
        expect(showHeap.stdout).toBe(`${dumpJson(states[heap]!)}\n`);
        const s = statsOf(states[live]!);
        expect(JSON.parse(statsLive.stdout)).toEqual({ total: s.total, families: s.families, peak: states.slice(1, live + 1).reduce(nextPeak, NO_PEAK) });
        expect(statsHeap.stdout).toContain(`after command ${heap} (peak-heap)`);
        expect(diffHeap.stdout).toBe(diffAt.stdout);
        const meta = JSON.parse(/<script type="application\/json" id="lmm-meta">(.*?)<\/script>/s.exec(readFileSync(html, 'utf8'))![1]!) as { opening?: number };
        expect(meta.opening).toBe(live);
      }),
      { numRuns: 3 },
    );
  }, 600_000);

  it('a bad --at is a usage error', async () => {
    const log = join(tmp, 'u.log');
    logOf(log, [{ op: 'register', family: 'a', size: 8 }], 'worst-fit');
    for (const args of [['show', log, '--at', 'peak'], ['stats', log, '--at', 'peak-pages'], ['diff', log, log, '--at', '-peak-live'], ['view', log, '--at', 'x', '-o', join(tmp, 'u.html')], ['view', log, '--at', '5', '-o', join(tmp, 'u.html')]]) {
      const r = await lmmInProcess(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(() => readFileSync(join(tmp, 'u.html'))).toThrow();
  });
});
