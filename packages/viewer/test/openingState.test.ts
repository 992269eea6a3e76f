import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpJson } from '@lmm/core';
import { propertyRuns, scenarioArb } from '@lmm/testkit';
import { decodeOpeningState, encodeOpeningState, openingStateOf, previewRun } from '../src/model/openingState.js';
import { HeapModel } from '../src/model/heapModel.js';
import { encoded, lineOf, logScenario } from './support.js';

describe('the opening state carried in the page', () => {
  it('draws, without any fact, exactly the core’s state at the opening command, and lists that command’s facts', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 150 }), fc.nat(), (s, pick) => {
        const r = logScenario(s);
        const run = encoded(r);
        const cmd = pick % (run.commands + 2); // past the end too: clamped to the last command
        const opening = decodeOpeningState(encodeOpeningState(openingStateOf(run, cmd), run.header.layout), run.header.layout);
        const at = Math.min(cmd, run.commands);
        expect(opening.cmd).toBe(at);
        const meta = { name: 'x', header: run.header, commands: run.commands, facts: run.count, series: {} as never };
        const model = new HeapModel(previewRun(meta, opening));
        model.restore(opening.snapshot);
        expect(JSON.stringify(model.dump())).toBe(dumpJson(at === 0 ? r.run.initial : r.run.states[at - 1]!));
        expect(opening.facts.map((f) => JSON.stringify(f))).toEqual(r.facts.filter((f) => f.cmd === at).map(lineOf));
      }),
      { numRuns: propertyRuns(150) },
    );
  });
});
