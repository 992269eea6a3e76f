import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYOUTS, NO_PEAK, nextPeak, POLICIES, statsOf } from '@lmm/core';
import { InputError } from '@lmm/replay';
import { propertyRuns, scenarioArb } from '@lmm/testkit';
import { firstDivergence } from '../src/model/divergence.js';
import { decodeRun } from '../src/model/decodeRun.js';
import { factAt } from '../src/model/factAt.js';
import { loadRun } from '../src/node/loadRun.js';
import { encoded, lineOf, logScenario, logText, tempDir, writeLog } from './support.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loading a fact log for the page', () => {
  it('keeps every fact and charts what the core had after each command', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ maxLength: 120 }), fc.integer({ min: 1, max: 40 }), async (s, buckets) => {
        const r = logScenario(s);
        const path = writeLog(dir, 'run.jsonl', r);
        const loaded = await loadRun(path, { displayName: 'run.jsonl', buckets });
        expect(loaded.name).toBe('run.jsonl');
        expect(loaded.header).toEqual(r.header);
        expect(loaded.facts).toBe(r.facts.length);
        expect(loaded.commands).toBe(r.run.states.length);
        const run = decodeRun(loaded.payload);
        r.facts.forEach((f, i) => expect(JSON.stringify(factAt(run, i))).toBe(lineOf(f)));
        let peak = NO_PEAK;
        for (const st of r.run.states) peak = nextPeak(peak, st);
        expect(loaded.series.peakHeap.bytes).toBe(peak.heapBytes);
        expect(loaded.series.peakLive.bytes).toBe(peak.liveBytes);
        expect(loaded.series.peakUtilization).toBe(peak.utilization);
        const heaps = r.run.states.map((st) => st.pagesInUse * st.layout.pageSize);
        expect(Math.max(0, ...loaded.series.heapMax)).toBe(Math.max(0, ...heaps));
        const requests = r.facts.filter((f) => f.type === 'PageRequest').length;
        expect(loaded.series.requests.reduce((a, b) => a + b, 0)).toBe(requests);
        // Avoidable growth: the commands whose avoidableGrowth count rose, as the core counts it.
        const avoidable = (st: (typeof r.run.states)[number]) => statsOf(st).total.avoidableGrowth;
        const grew = r.run.states.flatMap((st, i) => Array.from({ length: avoidable(st) - (i === 0 ? 0 : avoidable(r.run.states[i - 1]!)) }, () => i + 1));
        expect(loaded.series.avoidableAt).toEqual(grew);
        expect(loaded.series.avoidable.reduce((a, b) => a + b, 0)).toBe(grew.length);
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('refuses a fact that does not fit the heap, naming its file and line', async () => {
    const r = logScenario({ options: { layout: LAYOUTS.seed, policy: 'worst-fit', maxPages: null }, commands: [{ op: 'register', family: 'f', size: 8 }, { op: 'alloc', id: 'a', family: 'f' }] });
    const lines = logText(r).split('\n');
    lines.splice(lines.length - 1, 0, '{"seq":4,"cmd":3,"type":"Freed","id":"zz","family":"f","page":1,"offset":0,"size":8,"merged":{"offset":0,"size":8}}');
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, lines.join('\n'));
    const err = await loadRun(path, { displayName: 'bad.jsonl' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/^bad\.jsonl:5: command 3: the log has Freed where worst-fit gives Rejected E_NOT_ALLOCATED /);
    writeFileSync(path, `${lines[0]}\n{"seq":1,"cmd":1,"type":"Registered"`);
    const cut = await loadRun(path, { displayName: 'bad.jsonl', onWarning: () => {} });
    expect(cut.facts).toBe(0);
    writeFileSync(path, 'not json\n');
    await expect(loadRun(path, { displayName: 'bad.jsonl' })).rejects.toThrow(/^bad\.jsonl:1: /);
  });
});

describe('first divergence of two runs', () => {
  it('is the first position where the logged facts differ, without seq', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 100 }), fc.constantFrom(...POLICIES), fc.nat({ max: 3 }), (s, policy, cut) => {
        const a = logScenario(s);
        // B: another policy, and sometimes fewer commands.
        const b = logScenario({ options: { ...s.options, policy }, commands: s.commands.slice(0, s.commands.length - cut) });
        const key = (f: (typeof a.facts)[number] | undefined): string | null => (f === undefined ? null : JSON.stringify({ ...f, seq: 0 }));
        let i = 0;
        while ((i < a.facts.length || i < b.facts.length) && key(a.facts[i]) === key(b.facts[i])) i++;
        const d = firstDivergence(encoded(a), encoded(b));
        if (i === a.facts.length && i === b.facts.length) {
          expect(d).toBeNull();
          return;
        }
        expect(d).not.toBeNull();
        expect(d!.index).toBe(i);
        expect(d!.cmd).toBe(Math.min(a.facts[i]?.cmd ?? Infinity, b.facts[i]?.cmd ?? Infinity));
        const strip = (f: (typeof a.facts)[number] | undefined) => {
          if (f === undefined) return null;
          const { seq: _s, ...rest } = f;
          return rest;
        };
        expect(d!.a).toEqual(strip(a.facts[i]));
        expect(d!.b).toEqual(strip(b.facts[i]));
      }),
      { numRuns: propertyRuns(150) },
    );
  });
});
