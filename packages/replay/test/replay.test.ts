/**
 * Replay: a fact log folds to the states of its run (SPEC §2 inv. 10), `seek` gives the state
 * after any command whatever the checkpoint spacing and the order of seeks, the compact fact
 * store gives back the facts it took, and logs that do not fold are InputErrors naming file
 * and line.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpJson, NO_PEAK, nextPeak, toDump, type Fact } from '@lmm/core';
import { FactStore, foldLog, InputError, ReplayLog, type LoadReplayOptions } from '@lmm/replay';
import { logText, opArb, resolve, run, settingsArb, writeLog } from './replayGen.js';
import { factArb, propertyRuns } from '@lmm/testkit';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const REFERENCE = join(ROOT, '..', 'shared', 'reference');
const tmp = mkdtempSync(join(tmpdir(), 'lmm-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const runArb = fc.tuple(settingsArb, fc.array(opArb, { maxLength: 150, size: 'max' })).map(([settings, ops]) => run(settings, resolve(ops)));

describe('folding a log', () => {
  it('gives the states of its run, after every command, and the same peak', async () => {
    await fc.assert(
      fc.asyncProperty(runArb, async (r) => {
        const path = writeLog(tmp, r);
        const log = await ReplayLog.load(path, { checkpointEvery: 4, maxCheckpoints: 4 });
        expect(log.commands).toBe(r.facts.length);
        expect(log.facts).toBe(r.facts.flat().length);
        let peak = NO_PEAK;
        for (let c = 0; c <= log.commands; c++) {
          expect(dumpJson(log.seek(c))).toBe(dumpJson(r.states[c]!));
          expect(log.liveBytesAt(c)).toBe(r.states[c]!.liveBytes);
          expect(log.pagesAt(c)).toBe(r.states[c]!.pagesInUse);
          if (c > 0) peak = nextPeak(peak, r.states[c]!);
          expect(log.peakAt(c)).toEqual(peak);
        }
        const folded = await foldLog(path);
        expect(dumpJson(folded.state)).toBe(dumpJson(r.states.at(-1)!));
        expect({ liveBytes: folded.peak.liveBytes, heapBytes: folded.peak.heapBytes, utilization: folded.peak.utilization }).toEqual(peak);
        expect(folded.complete).toBe(true);
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('gives the C reference states of the golden runs (SPEC reference/)', async () => {
    for (const name of ['golden-22.lmm64', 'testapp.lmm64', 'testapp.seed']) {
      const log = await ReplayLog.load(join(REFERENCE, `${name}.facts.jsonl`), { checkpointEvery: 5 });
      const states = readFileSync(join(REFERENCE, `${name}.states.jsonl`), 'utf8').trim().split('\n');
      expect(log.commands).toBe(states.length);
      // Backwards, so every seek starts from a checkpoint rather than the last seek.
      for (let c = states.length; c >= 1; c--) expect(JSON.stringify({ cmd: c, state: toDump(log.seek(c)) })).toBe(states[c - 1]);
    }
  });

  it('stops at --to without reading on, and says so', async () => {
    const path = join(REFERENCE, 'golden-22.lmm64.facts.jsonl');
    const all = await ReplayLog.load(path);
    const part = await foldLog(path, { to: 9 });
    expect(part.commands).toBe(9);
    expect(part.complete).toBe(false);
    expect(dumpJson(part.state)).toBe(dumpJson(all.seek(9)));
    expect({ liveBytes: part.peak.liveBytes, heapBytes: part.peak.heapBytes, utilization: part.peak.utilization }).toEqual(all.peakAt(9));
  });
});

describe('seek', () => {
  it('equals the run at random targets in random order, for any checkpoint spacing', async () => {
    await fc.assert(
      fc.asyncProperty(
        runArb,
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 999_999 }).map((k) => k / 1e6), { minLength: 1, maxLength: 30 }),
        async (r, every, max, targets) => {
          const log = await ReplayLog.load(writeLog(tmp, r), { checkpointEvery: every, maxCheckpoints: max });
          expect(log.memory().checkpoints).toBeLessThanOrEqual(max);
          for (const t of targets) {
            const c = Math.floor(t * log.commands);
            expect(dumpJson(log.seek(c))).toBe(dumpJson(r.states[c]!));
          }
        },
      ),
      { numRuns: propertyRuns(60) },
    );
  });

  it('returns immutable states: an earlier seek result is unchanged by later seeks', async () => {
    const ops = fc.sample(fc.array(opArb, { minLength: 100, maxLength: 100 }), { numRuns: 1, seed: 7 })[0]!;
    const r = run({ layout: { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 }, policy: 'best-fit', maxPages: null }, resolve(ops));
    const log = await ReplayLog.load(writeLog(tmp, r), { checkpointEvery: 8 });
    const held = [3, 20, 21, 50].map((c) => [c, log.seek(c), dumpJson(log.seek(c))] as const);
    for (let c = log.commands; c >= 0; c -= 3) log.seek(c);
    for (const [, s, json] of held) expect(dumpJson(s)).toBe(json);
  });

  it('refuses commands outside 0…commands', async () => {
    const log = await ReplayLog.load(join(REFERENCE, 'testapp.seed.facts.jsonl'));
    expect(() => log.seek(-1)).toThrow(RangeError);
    expect(() => log.seek(log.commands + 1)).toThrow(/outside the log/);
    expect(() => log.seek(1.5)).toThrow(RangeError);
    expect(toDump(log.seek(0)).families).toEqual([]);
  });
});

describe('FactStore', () => {
  const factsArb = runArb.map((r) => r.facts);
  it('gives back every fact it took, command by command', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const store = new FactStore();
        for (const fs of facts) store.addCommand(fs);
        store.seal();
        expect(store.commandCount).toBe(facts.length);
        facts.forEach((fs, i) => expect(JSON.stringify(store.factsOf(i + 1))).toBe(JSON.stringify(fs)));
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('gives back any fact of the schema with its keys in the same order, whatever its strings and numbers', () => {
    const intArb = fc.oneof(fc.nat({ max: 1000 }), fc.constantFrom(2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER));
    fc.assert(
      fc.property(fc.array(fc.array(factArb({ ints: intArb }), { maxLength: 4 }), { maxLength: 12 }), (commands) => {
        const store = new FactStore();
        for (const fs of commands) store.addCommand(fs);
        if (commands.length % 2 === 0) store.seal();
        commands.forEach((fs, i) => expect(JSON.stringify(store.factsOf(i + 1))).toBe(JSON.stringify(fs)));
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('keeps facts that do not fit its words as JSON: huge numbers, extra keys, rejections', () => {
    const odd: Fact[] = [
      { type: 'PageRequest', family: 'f', page: 2 ** 40, count: 3 },
      { type: 'Allocated', id: 'x', family: 'f', page: 1, offset: 0, size: 1.5, units: 1, frag: 'none', gap: 0 },
      { type: 'Freed', id: 'x', family: 'f', page: 1, offset: 0, size: 8, merged: { offset: 0, size: 8, extra: 1 } as never },
      { type: 'Registered', family: 'f', size: 8, note: 'kept' } as never,
      { type: 'Allocated', id: 'y', family: 'f', page: 1, offset: 0, size: 8, units: 1, frag: 'large', gap: 0, from: 'z' },
      { type: 'Rejected', command: { op: 'free', id: 'q', deep: [1, { a: null }] }, code: 'E_NOT_ALLOCATED', message: 'm' },
    ];
    const store = new FactStore();
    for (const f of odd) store.addCommand([f]);
    odd.forEach((f, i) => expect(store.factsOf(i + 1)).toEqual([f]));
  });
});

describe('a log that does not fold', () => {
  const base = run({ layout: { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 }, policy: 'worst-fit', maxPages: null }, [
    { op: 'register', family: 'a', size: 24 },
    { op: 'alloc', id: 'p', family: 'a' },
    { op: 'alloc', id: 'q', family: 'a' },
    { op: 'realloc', id: 'p', units: 2, to: 'r' },
    { op: 'free', id: 'q' },
  ]);
  const lines = logText(base).trimEnd().split('\n');
  const load = (text: string, options: LoadReplayOptions = {}) => {
    const path = join(tmp, 'bad.jsonl');
    writeFileSync(path, text);
    return ReplayLog.load(path, { displayName: 'bad.jsonl', ...options });
  };
  const edit = (line: number, f: (o: Record<string, unknown>) => void) =>
    lines.map((l, i) => {
      if (i + 1 !== line) return l;
      const o = JSON.parse(l) as Record<string, unknown>;
      f(o);
      return JSON.stringify(o);
    });
  const expectError = async (text: string, line: number, reason: RegExp) => {
    const e = await load(text).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).line).toBe(line);
    expect((e as InputError).message).toMatch(new RegExp(`^bad\\.jsonl:${line}: `));
    expect((e as InputError).reason).toMatch(reason);
  };

  it('the unedited log folds (the cases below are one edit away from it)', async () => {
    expect((await load(lines.join('\n'))).commands).toBe(5);
    expect(lines.map((l) => (JSON.parse(l) as { type?: string }).type)).toEqual([undefined, 'Registered', 'PageRequest', 'Allocated', 'Allocated', 'Allocated', 'Freed', 'Freed']);
  });

  it('a fact that does not fit the state', async () => {
    await expectError(edit(5, (o) => void (o.offset = 4000)).join('\n'), 5, /^command 3: Allocated fact has offset 4000, but worst-fit gives 52 for alloc "q" \(1 units of "a"\)$/);
    // A free of an id that is not live: decide rejects it.
    await expectError(edit(8, (o) => void (o.id = 'zz')).join('\n'), 8, /^command 5: the log has Freed where worst-fit gives Rejected E_NOT_ALLOCATED \(id 'zz' is not allocated\) for free "zz"$/);
  });

  it('a command cut short or spliced', async () => {
    // The realloc (command 4, lines 6–7) without its Freed: the next fact belongs to command 5.
    const cut = lines.filter((_, i) => i !== 6).map((l, i) => (i >= 6 ? l.replace(/"seq":\d+/, `"seq":${i}`) : l));
    await expectError(cut.join('\n'), 6, /command 4: a realloc must free its old block/);
    await expectError(edit(3, (o) => void (o.page = 9)).join('\n'), 4, /not in the page just requested/);
  });

  it('a command number that skips one', async () => {
    const skipped = edit(8, (o) => void (o.cmd = 6));
    await expectError(skipped.join('\n'), 8, /skips command 5/);
  });

  it('more pages than the header allows', async () => {
    const limited = edit(1, (o) => void (o.maxPages = 0));
    await expectError(limited.join('\n'), 3, /^command 2: the log has PageRequest, Allocated where worst-fit gives Rejected E_OUT_OF_MEMORY \(the page limit of 0 pages would be exceeded \(0 in use\)\) for alloc "p"/);
  });
});
