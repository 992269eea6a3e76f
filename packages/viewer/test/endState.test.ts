import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpJson } from '@lmm/core';
import { scenarioArb } from '@lmm/testkit';
import { decodeEndState, encodeEndState, endStateOf, previewRun } from '../src/model/endState.js';
import { HeapModel } from '../src/model/heapModel.js';
import { encoded, lineOf, logScenario } from './support.js';

describe('the last state carried in the page', () => {
  it('draws, without any fact, exactly the core’s last state, and lists the last command’s facts', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 150 }), (s) => {
        const r = logScenario(s);
        const run = encoded(r);
        const end = decodeEndState(encodeEndState(endStateOf(run), run.header.layout), run.header.layout);
        const meta = { name: 'x', header: run.header, commands: run.commands, facts: run.count, series: {} as never };
        const model = new HeapModel(previewRun(meta, end));
        model.restore(end.snapshot);
        expect(JSON.stringify(model.dump())).toBe(dumpJson(r.run.final));
        expect(end.facts.map((f) => JSON.stringify(f))).toEqual(r.facts.filter((f) => f.cmd === run.commands).map(lineOf));
      }),
      { numRuns: 150 },
    );
  });
});
