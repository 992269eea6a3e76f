/**
 * `lmm run TRACE --policy A --switch CMD:B` as a user runs it (SPEC §5): the fact log's facts
 * up to CMD are the unswitched run's, the facts after CMD those of running the rest under B
 * from the state at CMD; `show --at N` names the policy in force after N; `diff` against the
 * run without the switch parts after CMD.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpJson, initialState, LAYOUTS, POLICIES, step, withPolicy, type Fact, type HeapState } from '@lmm/core';
import { parseHeader } from '@lmm/replay';
import { commandsArb } from '@lmm/testkit';
import { lmmInProcess } from '../packages/cli/test/lmmInProcess.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-switch-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The facts of a fact log, per command (index 0 = command 1), without seq/cmd. */
function factsByCommand(path: string): { header: string; facts: Fact[][] } {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const facts: Fact[][] = [];
  for (const line of lines) {
    const { seq: _seq, cmd, ...fact } = JSON.parse(line) as { seq: number; cmd: number } & Fact;
    (facts[cmd - 1] ??= []).push(fact as Fact);
  }
  return { header: header!, facts };
}

describe('lmm run --switch', () => {
  it('facts up to CMD are the unswitched run’s, after it those of B from the state at CMD; show names the policy in force; diff parts after CMD', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        commandsArb(LAYOUTS.seed, { minLength: 30, maxLength: 80 }),
        fc.constantFrom(...POLICIES),
        fc.constantFrom(...POLICIES),
        fc.nat(),
        async (commands, a, b, at) => {
          const cmd = at % (commands.length + 1);
          const name = join(tmp, `t${++n}`);
          writeFileSync(`${name}.jsonl`, `${commands.map((c) => JSON.stringify(c)).join('\n')}\n`);
          const [plainRun, switchedRun] = await Promise.all([
            lmmInProcess(['run', `${name}.jsonl`, '--format', 'jsonl', '--policy', a, '--facts', `${name}.a.log`]),
            lmmInProcess(['run', `${name}.jsonl`, '--format', 'jsonl', '--policy', a, '--switch', `${cmd}:${b}`, '--facts', `${name}.s.log`, '--state', `${name}.s.json`]),
          ]);
          expect(plainRun.code, plainRun.stderr).toBe(0);
          expect(switchedRun.code, switchedRun.stderr).toBe(0);
          expect(switchedRun.stdout).toContain(`${a}, ${b} after command ${cmd}`);
          const plain = factsByCommand(`${name}.a.log`);
          const switched = factsByCommand(`${name}.s.log`);
          expect(parseHeader(switched.header, 'log')).toMatchObject({ policy: a, switch: { cmd, policy: b } });
          expect(switched.facts.slice(0, cmd)).toStrictEqual(plain.facts.slice(0, cmd));
          // From the state at CMD (the unswitched run's), the rest under B.
          let state: HeapState = initialState({ layout: LAYOUTS.seed, policy: a });
          for (const c of commands.slice(0, cmd)) state = step(state, c).state;
          state = withPolicy(state, b);
          commands.slice(cmd).forEach((c, i) => {
            const r = step(state, c);
            state = r.state;
            expect(switched.facts[cmd + i], `command ${cmd + i + 1}`).toStrictEqual(r.facts);
          });
          expect(readFileSync(`${name}.s.json`, 'utf8')).toBe(`${dumpJson(state)}\n`);
          const points = [...new Set([0, Math.max(cmd - 1, 0), cmd, Math.min(cmd + 1, commands.length), commands.length])];
          const [diff, ...shows] = await Promise.all([
            lmmInProcess(['diff', `${name}.a.log`, `${name}.s.log`, '--json']),
            ...points.map((p) => lmmInProcess(['show', `${name}.s.log`, '--at', String(p), '--json'])),
          ]);
          shows.forEach((r, i) => {
            expect(r.code, r.stderr).toBe(0);
            expect((JSON.parse(r.stdout) as { policy: string }).policy, `show --at ${points[i]}`).toBe(points[i]! >= cmd ? b : a);
          });
          expect(diff.code, diff.stderr).toBe(0);
          const d = JSON.parse(diff.stdout) as { firstDivergence: { cmd: number } | null };
          if (d.firstDivergence !== null) expect(d.firstDivergence.cmd).toBeGreaterThan(cmd);
        },
      ),
      { numRuns: 4 },
    );
  }, 120_000);

  it('a malformed --switch is a usage error (exit 2, one line, no output file)', async () => {
    writeFileSync(join(tmp, 'u.jsonl'), '{"op":"register","family":"a","size":8}\n');
    for (const bad of ['best-fit', '3', '3:', '3:next-fit', '-1:best-fit', 'x:best-fit']) {
      const r = await lmmInProcess(['run', join(tmp, 'u.jsonl'), `--switch=${bad}`, '--facts', join(tmp, 'u.log')]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^lmm: --switch: /);
      expect(() => readFileSync(join(tmp, 'u.log'))).toThrow();
    }
  });
});
