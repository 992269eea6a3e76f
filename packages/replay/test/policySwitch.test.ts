/**
 * Fact logs of what-if branches (`run --switch CMD:POLICY`, SPEC §5): the header carries the
 * switch, every reader folds the log switching at CMD (so a state after command N names the
 * policy in force then), and a diff against the run without the switch parts after CMD.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpJson, POLICIES, type Policy } from '@lmm/core';
import { compareRuns, foldLog, headerLine, InputError, makeHeader, parseHeader, ReplayLog } from '@lmm/replay';
import { fingerprint } from '@lmm/testkit';
import { opArb, resolve, run, settingsArb, writeLog } from './replayGen.js';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-switch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const switchedArb = fc
  .tuple(settingsArb, fc.array(opArb, { minLength: 5, maxLength: 120, size: 'max' }), fc.constantFrom<Policy>(...POLICIES), fc.nat())
  .map(([settings, ops, policy, at]) => {
    const commands = resolve(ops);
    const cmd = at % (commands.length + 2);
    return { plain: run(settings, commands), switched: run({ ...settings, change: { cmd, policy } }, commands), cmd, policy };
  });

describe('what-if branches in fact logs', () => {
  it('the header carries the switch beside the policy, and reads back', () => {
    const header = makeHeader({ pageSize: 4096, pageHeaderSize: 0, metaSize: 28 }, 'worst-fit', null, { cmd: 12, policy: 'address-first-fit' });
    const line = headerLine(header);
    expect(line).toBe('{"format":"lmm-log","version":1,"layout":{"pageSize":4096,"pageHeaderSize":0,"metaSize":28},"policy":"worst-fit","switch":{"cmd":12,"policy":"address-first-fit"},"maxPages":null}');
    expect(parseHeader(line, 'f')).toStrictEqual(header);
    expect(headerLine(makeHeader(header.layout, 'best-fit', 3))).not.toContain('switch');
    for (const bad of ['{"cmd":-1,"policy":"best-fit"}', '{"cmd":1.5,"policy":"best-fit"}', '{"cmd":1,"policy":"next-fit"}', '{"policy":"best-fit"}', '[1,"best-fit"]', '"1:best-fit"']) {
      expect(() => parseHeader(line.replace('{"cmd":12,"policy":"address-first-fit"}', bad), 'f.jsonl', 1)).toThrow(InputError);
    }
  });

  it('folds to the states of the switched run, each naming the policy in force; parts from the unswitched run only after CMD', async () => {
    await fc.assert(
      fc.asyncProperty(switchedArb, async ({ plain, switched, cmd }) => {
        const n = switched.facts.length;
        // The facts up to CMD are the unswitched run's.
        expect(switched.facts.slice(0, cmd)).toStrictEqual(plain.facts.slice(0, cmd));
        const path = writeLog(tmp, switched);
        const log = await ReplayLog.load(path, { checkpointEvery: 3, maxCheckpoints: 4 });
        // Backwards and forwards, so seeks start from checkpoints on either side of the switch and from the last seek.
        for (const c of [...Array.from({ length: n + 1 }, (_, i) => n - i), ...Array.from({ length: n + 1 }, (_, i) => i)]) {
          expect(fingerprint(log.seek(c)), `seek ${c}`).toBe(fingerprint(switched.states[c]!));
        }
        for (const to of [cmd - 1, cmd, cmd + 1, n]) {
          if (to < 0 || to > n) continue;
          const folded = await foldLog(path, { to });
          expect(dumpJson(folded.state), `fold to ${to}`).toBe(dumpJson(switched.states[to]!));
        }
        const cmp = compareRuns(await ReplayLog.load(writeLog(tmp, plain)), log);
        if (cmp.firstDivergence !== null) expect(cmp.firstDivergence.cmd).toBeGreaterThan(cmd);
      }),
      { numRuns: 60 },
    );
  });
});
