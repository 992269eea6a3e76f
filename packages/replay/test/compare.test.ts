/**
 * compareRuns: the first command where two runs' fact logs part, checked against stepping
 * both runs side by side; the state differences there; logs that agree, logs where one is a
 * prefix of the other, and an explicit `at`.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, initialState, type Fact, type Policy } from '@lmm/core';
import { compareRuns, diffStates, firstDivergence, jsonEqual, ReplayLog } from '@lmm/replay';
import { opArb, resolve, run, settingsArb, writeLog } from './replayGen.js';
import { propertyRuns } from '@lmm/testkit';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-compare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const load = (path: string) => ReplayLog.load(path, { checkpointEvery: 7 });
const commandsArb = fc.array(opArb, { minLength: 1, maxLength: 120, size: 'max' }).map(resolve);

describe('compareRuns', () => {
  it('worst fit against best fit: parts at the first command whose facts differ when both are stepped', async () => {
    let parted = 0;
    await fc.assert(
      fc.asyncProperty(settingsArb, commandsArb, fc.constantFrom<[Policy, Policy]>(['worst-fit', 'best-fit'], ['best-fit', 'first-fit'], ['worst-fit', 'first-fit']), async (settings, commands, [pa, pb]) => {
        // Independently: step both engines and find the first command whose facts are not the same.
        const ea = new Engine(initialState({ ...settings, policy: pa }));
        const eb = new Engine(initialState({ ...settings, policy: pb }));
        let expected: number | null = null;
        commands.forEach((c, i) => {
          const fa = JSON.stringify(ea.execute(c));
          const fb = JSON.stringify(eb.execute(c));
          if (expected === null && fa !== fb) expected = i + 1;
        });
        const ra = run({ ...settings, policy: pa }, commands);
        const rb = run({ ...settings, policy: pb }, commands);
        const [la, lb] = await Promise.all([load(writeLog(tmp, ra)), load(writeLog(tmp, rb))]);
        const cmp = compareRuns(la, lb);
        expect(cmp.firstDivergence?.cmd ?? null).toBe(expected);
        if (expected === null) {
          // Same facts: only the policy setting differs.
          expect(cmp.changes).toEqual([{ kind: 'setting', field: 'policy', a: pa, b: pb }]);
          return;
        }
        parted++;
        const d = cmp.firstDivergence!;
        // The facts named are those at the first differing position of each log, as logged.
        const flatA = ra.facts.flatMap((fs, i) => fs.map((f) => ({ ...f, cmd: i + 1 })));
        const flatB = rb.facts.flatMap((fs, i) => fs.map((f) => ({ ...f, cmd: i + 1 })));
        const pos = flatA.findIndex((f, i) => JSON.stringify(f) !== JSON.stringify(flatB[i]));
        const at = pos < 0 ? flatA.length : pos;
        expect(d.a).toEqual(flatA[at] === undefined ? null : { seq: at + 1, ...flatA[at] });
        expect(d.b).toEqual(flatB[at] === undefined ? null : { seq: at + 1, ...flatB[at] });
        expect(cmp.at).toBe(expected);
        expect(cmp.changes).toEqual(diffStates(ra.states[expected]!, rb.states[expected]!));
        expect(cmp.changes.length).toBeGreaterThan(1);
      }),
      { numRuns: 60 },
    );
    // Most pairs of policies part somewhere on these traces.
    expect(parted).toBeGreaterThan(20);
  });

  it('a log against itself: no divergence, no changes', async () => {
    const r = run(fc.sample(settingsArb, { numRuns: 1, seed: 1 })[0]!, fc.sample(commandsArb, { numRuns: 1, seed: 2 })[0]!);
    const path = writeLog(tmp, r);
    const [a, b] = await Promise.all([load(path), load(path)]);
    expect(compareRuns(a, b)).toEqual({ firstDivergence: null, at: a.commands, changes: [] });
  });

  it('a log against a prefix of itself: parts after the prefix; the shorter is taken at its end', async () => {
    const settings = { layout: { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 }, policy: 'worst-fit' as const, maxPages: null };
    const commands = [
      { op: 'register', family: 'a', size: 64 },
      { op: 'alloc', id: 'p', family: 'a' },
      { op: 'alloc', id: 'q', family: 'a', units: 3 },
      { op: 'free', id: 'p' },
    ];
    const full = run(settings, commands);
    const prefix = run(settings, commands.slice(0, 2));
    const [a, b] = await Promise.all([load(writeLog(tmp, full)), load(writeLog(tmp, prefix))]);
    const cmp = compareRuns(a, b);
    expect(cmp.firstDivergence).toEqual({ cmd: 3, a: { seq: 4, cmd: 3, ...full.facts[2]![0]! }, b: null });
    expect(cmp.changes).toEqual(diffStates(full.states[3]!, prefix.states[2]!));
    expect(firstDivergence(b, a)).toEqual({ cmd: 3, a: null, b: cmp.firstDivergence!.a });
    // The shorter log first: taken at its own end all the same.
    expect(compareRuns(b, a)).toEqual({ firstDivergence: { cmd: 3, a: null, b: cmp.firstDivergence!.a }, at: 3, changes: diffStates(prefix.states[2]!, full.states[3]!) });
    expect(() => compareRuns(b, a, { at: 3 })).toThrow(RangeError);
    // An explicit point: the two states there, and never beyond either log.
    expect(compareRuns(a, b, { at: 2 }).changes).toEqual([]);
    expect(compareRuns(a, b, { at: 1 }).firstDivergence?.cmd).toBe(3);
    expect(() => compareRuns(a, b, { at: 3 })).toThrow(RangeError);
  });

  it('a command with more facts in one log: the first extra position names that command', async () => {
    // Under a page limit of 1 the second page request of b is rejected (one fact) where a takes a new page (two facts).
    const commands = [
      { op: 'register', family: 'a', size: 4000 },
      { op: 'alloc', id: 'p', family: 'a' },
      { op: 'alloc', id: 'q', family: 'a' },
    ];
    const layout = { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 };
    const ra = run({ layout, policy: 'worst-fit', maxPages: null }, commands);
    const rb = run({ layout, policy: 'worst-fit', maxPages: 1 }, commands);
    const [a, b] = await Promise.all([load(writeLog(tmp, ra)), load(writeLog(tmp, rb))]);
    const cmp = compareRuns(a, b);
    expect(cmp.firstDivergence).toEqual({ cmd: 3, a: { seq: 4, cmd: 3, ...ra.facts[2]![0]! }, b: { seq: 4, cmd: 3, ...rb.facts[2]![0]! } });
    expect(cmp.firstDivergence!.b!.type).toBe('Rejected');
    expect(cmp.changes.map((c) => c.kind)).toEqual(['setting', 'page-removed', 'queue-removed']);
  });
});

describe('firstDivergence on logs made by hand', () => {
  /** A log of these commands' facts (only what firstDivergence reads of a ReplayLog). */
  const log = (...commands: Fact[][]) => ({ commands: commands.length, factsOf: (c: number) => commands[c - 1] ?? [] }) as unknown as ReplayLog;
  const reg = (family: string): Fact => ({ type: 'Registered', family, size: 8 });

  it('a command with fewer facts in one log: that log\'s fact at the position is its next command\'s first, and the divergence is the smaller command', () => {
    // a: [r1] [r2]; b: [r1, x] [r2]. They part at the second fact (seq 2): b's x of command 1, a's r2 of command 2.
    const a = log([reg('r1')], [reg('r2')]);
    const b = log([reg('r1'), reg('x')], [reg('r2')]);
    expect(firstDivergence(a, b)).toEqual({ cmd: 1, a: { seq: 2, cmd: 2, ...reg('r2') }, b: { seq: 2, cmd: 1, ...reg('x') } });
    // With nothing after the shorter command, its side is null.
    expect(firstDivergence(log([reg('r1')]), b)).toEqual({ cmd: 1, a: null, b: { seq: 2, cmd: 1, ...reg('x') } });
  });

  it('positions count every fact before: a difference at the third fact of the second command is seq 4', () => {
    const a = log([reg('r1')], [reg('p'), reg('q'), reg('s')]);
    const b = log([reg('r1')], [reg('p'), reg('q'), reg('t')]);
    expect(firstDivergence(a, b)).toEqual({ cmd: 2, a: { seq: 4, cmd: 2, ...reg('s') }, b: { seq: 4, cmd: 2, ...reg('t') } });
    expect(firstDivergence(a, a)).toBeNull();
  });
});

describe('jsonEqual', () => {
  it.each<[unknown, unknown, boolean]>([
    [1, 1, true],
    [1, '1', false],
    [1, {}, false],
    [{}, 1, false],
    ['a', ['a'], false],
    [null, {}, false],
    [{}, null, false],
    [null, null, true],
    [[1], [1, 2], false],
    [[1, 2], [1], false],
    [[1, [2]], [1, [2]], true],
    [[{ a: 1 }], [{ a: 2 }], false],
    // A field set to undefined is a field JSON leaves out.
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [{ a: undefined }, { b: undefined }, true],
    [{ a: 1 }, { b: 1 }, false],
    [{ a: 1, b: undefined }, { a: 1, c: 2 }, false],
  ])('jsonEqual(%j, %j) is %s', (x, y, equal) => {
    expect(jsonEqual(x, y)).toBe(equal);
  });

  it('compares JSON values, objects whatever their key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(jsonEqual(v, JSON.parse(JSON.stringify(v)))).toBe(true);
        expect(jsonEqual(v, { wrapped: v })).toBe(false);
      }),
    );
    expect(jsonEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });

  it('an array never equals an object, even one with the same keys and values (either way round, at any depth)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), fc.boolean(), (a, withLength) => {
        const o: Record<string, unknown> = { ...a };
        if (withLength) o.length = a.length;
        expect(jsonEqual(a, o)).toBe(false);
        expect(jsonEqual(o, a)).toBe(false);
        expect(jsonEqual({ x: [a] }, { x: [o] })).toBe(false);
        expect(jsonEqual({ x: [o] }, { x: [a] })).toBe(false);
      }),
      { numRuns: propertyRuns(100) },
    );
    expect(jsonEqual(['a'], { 0: 'a' })).toBe(false);
    expect(jsonEqual({ 0: 'a' }, ['a'])).toBe(false);
  });
});
