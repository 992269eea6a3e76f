import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpJson, Engine, initialState, POLICIES, statsOf, type HeapState, type LoggedFact } from '@lmm/core';
import { makeHeader } from '@lmm/replay';
import { propertyRuns, scenarioArb } from '@lmm/testkit';
import { decodeOpeningState, encodeOpeningState, openingStateOf, previewRun } from '../src/model/openingState.js';
import { HeapModel } from '../src/model/heapModel.js';
import { modelStats } from '../src/model/modelStats.js';
import { encoded, lineOf } from './support.js';

describe('the opening state carried in the page', () => {
  it('draws, without any fact, exactly the core’s state at the opening command (policy of a --switch and counters included), and lists that command’s facts', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 150 }), fc.nat(), fc.option(fc.tuple(fc.nat(), fc.constantFrom(...POLICIES))), (s, pick, change) => {
        // The run, switched to another policy after some command when `change` says so.
        const sw = change === null ? undefined : { cmd: change[0] % (s.commands.length + 1), policy: change[1] };
        const engine = new Engine(initialState({ ...s.options, policy: sw?.cmd === 0 ? sw.policy : s.options.policy }));
        const states: HeapState[] = [engine.snapshot()];
        const facts: LoggedFact[] = [];
        s.commands.forEach((c, i) => {
          for (const f of engine.execute(c)) facts.push({ ...f, seq: facts.length + 1, cmd: i + 1 });
          if (sw?.cmd === i + 1) engine.setPolicy(sw.policy);
          states.push(engine.snapshot());
        });
        const run = encoded({ header: makeHeader(s.options.layout, s.options.policy, s.options.maxPages, sw), facts });
        const cmd = pick % (run.commands + 2); // past the end too: clamped to the last command
        const opening = decodeOpeningState(encodeOpeningState(openingStateOf(run, cmd), run.header.layout), run.header.layout);
        const at = Math.min(cmd, run.commands);
        expect(opening.cmd).toBe(at);
        const meta = { name: 'x', header: run.header, commands: run.commands, facts: run.count, series: {} as never };
        const model = new HeapModel(previewRun(meta, opening), opening.cmd);
        model.restore(opening.snapshot);
        expect(JSON.stringify(model.dump())).toBe(dumpJson(states[at]!));
        expect(modelStats(model)).toStrictEqual(statsOf(states[at]!));
        expect(opening.facts.map((f) => JSON.stringify(f))).toEqual(facts.filter((f) => f.cmd === at).map(lineOf));
      }),
      { numRuns: propertyRuns(150) },
    );
  });
});
