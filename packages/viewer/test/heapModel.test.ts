import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dumpJson, statsOf } from '@lmm/core';
import { propertyRuns, scenarioArb } from '@lmm/testkit';
import { HeapModel } from '../src/model/heapModel.js';
import { modelStats } from '../src/model/modelStats.js';
import { RunCursor } from '../src/model/runCursor.js';
import { decodeSnapshot, encodeSnapshot } from '../src/model/snapshotCodec.js';
import { encoded, logScenario } from './support.js';

describe("the page's own fold", () => {
  it('agrees with the core after every command: state dump, statistics and queue head', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 150 }), (s) => {
        const r = logScenario(s);
        const model = new HeapModel(encoded(r));
        r.run.states.forEach((state, i) => {
          model.foldTo(i + 1);
          expect(JSON.stringify(model.dump()), `after command ${i + 1}`).toBe(dumpJson(state));
          expect(modelStats(model)).toStrictEqual(statsOf(state));
          for (const fam of model.families) {
            const head = model.queueHead(fam);
            const core = state.families.get(state.familyIndex.get(fam.name)!)!.queue.values().next().value;
            expect(head === undefined ? undefined : { size: head.size, off: head.off }).toEqual(core === undefined ? undefined : { size: core.size, off: core.offset });
          }
        });
      }),
      { numRuns: propertyRuns(150) },
    );
  });

  it('seeks anywhere, forward and back, through checkpoints, to the state the core had there', () => {
    fc.assert(
      fc.property(
        scenarioArb({ minLength: 20, maxLength: 200 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 40 }),
        (s, targets, minInterval) => {
          const r = logScenario(s);
          const cursor = new RunCursor(encoded(r), { minInterval, blocksFactor: 0 });
          const n = r.run.states.length;
          for (const t of targets) {
            const cmd = t % (n + 2); // now and then past the end: clamped
            cursor.seek(cmd);
            const at = Math.min(cmd, n);
            expect(cursor.position).toBe(at);
            const want = at === 0 ? dumpJson(r.run.initial) : dumpJson(r.run.states[at - 1]!);
            expect(JSON.stringify(cursor.model.dump()), `seek to ${cmd}`).toBe(want);
          }
        },
      ),
      { numRuns: propertyRuns(150) },
    );
  });

  it('with the end pinned and checkpoints laid in the background between seeks, still lands on the core’s states', () => {
    fc.assert(
      fc.property(
        scenarioArb({ minLength: 20, maxLength: 200 }),
        fc.array(fc.oneof(fc.nat().map((n) => ({ seek: n })), fc.constant({ build: true })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 30 }),
        (s, steps, minInterval) => {
          const r = logScenario(s);
          const run = encoded(r);
          const cursor = new RunCursor(run, { minInterval, blocksFactor: 0, chunkCommands: 7 });
          const end = new HeapModel(run);
          end.foldTo(run.commands);
          cursor.pin(run.commands, end.snapshot());
          const n = r.run.states.length;
          for (const step of steps) {
            if ('build' in step) {
              const shownBefore = JSON.stringify(cursor.model.dump());
              cursor.buildAhead(0);
              expect(JSON.stringify(cursor.model.dump())).toBe(shownBefore);
              continue;
            }
            const at = Math.min(step.seek % (n + 2), n);
            cursor.seek(step.seek % (n + 2));
            expect(JSON.stringify(cursor.model.dump()), `seek to ${at}`).toBe(at === 0 ? dumpJson(r.run.initial) : dumpJson(r.run.states[at - 1]!));
          }
          while (!cursor.buildAhead(0));
          expect(cursor.complete).toBe(true);
          // Now every seek is short: at most one interval (and one command) of facts from a checkpoint.
          const perCommand = Math.max(0, ...Array.from({ length: run.commands }, (_, c) => run.firstFact[c + 2]! - run.firstFact[c + 1]!));
          for (let c = n; c >= 0; c -= Math.max(1, Math.floor(n / 7))) {
            const before = cursor.work.folded;
            cursor.seek(c);
            expect(cursor.work.folded - before).toBeLessThanOrEqual(minInterval + perCommand);
          }
        },
      ),
      { numRuns: propertyRuns(150) },
    );
  });

  it('folds each fact once going forward, and a seek back costs at most one checkpoint interval', () => {
    fc.assert(
      fc.property(scenarioArb({ minLength: 100, maxLength: 250 }), fc.nat(), (s, pick) => {
        const r = logScenario(s);
        const run = encoded(r);
        const cursor = new RunCursor(run, { minInterval: 16, blocksFactor: 0 });
        for (let c = 0; c <= run.commands; c++) cursor.seek(c);
        expect(cursor.work).toEqual({ restores: 0, folded: run.count });
        const back = pick % (run.commands + 1);
        cursor.seek(back);
        const before = cursor.work.folded;
        // Checkpoints sit at command boundaries at least 16 facts apart; one command may add a few facts more.
        const perCommand = Math.max(...Array.from({ length: run.commands }, (_, c) => run.firstFact[c + 2]! - run.firstFact[c + 1]!));
        expect(before - run.count).toBeLessThanOrEqual(16 + perCommand);
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});

describe('snapshots carried in the page', () => {
  it('encode and decode to the same snapshot, and restore to the same state', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 150 }), fc.nat(), (s, pick) => {
        const r = logScenario(s);
        const run = encoded(r);
        const model = new HeapModel(run);
        model.foldTo(pick % (run.commands + 1));
        const snap = model.snapshot();
        const back = decodeSnapshot(encodeSnapshot(snap, run.header.layout), run.header.layout);
        expect(back).toEqual(snap);
        const other = new HeapModel(run);
        other.restore(back);
        expect(JSON.stringify(other.dump())).toBe(JSON.stringify(model.dump()));
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});
