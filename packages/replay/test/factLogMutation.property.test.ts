/**
 * Fact-log checks as a property (issue 15): a valid log edited once (a fact dropped,
 * duplicated, swapped, a field changed, a `cmd` moved, the log cut, a whole command
 * dropped, a header field changed) is either refused with an InputError naming a line of the
 * edited command or after it — the right command's lines when the edit can leave no valid
 * log — or folds
 * into a state that passes every SPEC §2 invariant and is what folding its facts one by one
 * gives. Every case asserts one of the two; none passes by not throwing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInvariants, dumpJson, Engine, evolveAll, initialState, LAYOUTS, POLICIES, toDump, type HeapState, type Layout } from '@lmm/core';
import { dumpProblems, factMutationArb, mutateFacts, propertyRuns, scenarioArb, type CmdFact } from '@lmm/testkit';
import { factLine, foldLog, headerLine, InputError, makeHeader, type LogHeader } from '@lmm/replay';

const tmp = mkdtempSync(join(tmpdir(), 'lmm-log-mutation-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let files = 0;
/** Writes a fact log: the header on line 1, fact i on line i + 2 with seq i + 1. */
function writeLog(header: LogHeader, facts: readonly CmdFact[]): string {
  const path = join(tmp, `log${++files}.jsonl`);
  writeFileSync(path, `${[headerLine(header), ...facts.map((f, i) => factLine(i + 1, f.cmd, f.fact))].join('\n')}\n`);
  return path;
}

/** The facts of a run, each with its command. */
function runFacts(layout: Layout, policy: (typeof POLICIES)[number], maxPages: number | null, commands: readonly unknown[]): CmdFact[] {
  const engine = new Engine(initialState({ layout, policy, maxPages }));
  return commands.flatMap((c, i) => engine.execute(c).map((fact) => ({ cmd: i + 1, fact })));
}

type Outcome = { readonly refused: InputError } | { readonly state: HeapState; readonly commands: number };

async function fold(path: string): Promise<Outcome> {
  return foldLog(path, { strict: true, displayName: 'log' }).then(
    (f) => ({ state: f.state, commands: f.commands }),
    (e: unknown) => {
      // Anything but an InputError (a TypeError, a FoldError) is a failure of its own.
      expect(e).toBeInstanceOf(InputError);
      return { refused: e as InputError };
    },
  );
}

/** A folded state breaks no SPEC §2 invariant (the core's checks and a reader's, on the dump) and is what evolve gives for the same facts. */
function expectSound(state: HeapState, header: LogHeader, facts: readonly CmdFact[]): void {
  expect(checkInvariants(state)).toEqual([]);
  expect(dumpProblems(toDump(state))).toEqual([]);
  const evolved = evolveAll(initialState({ layout: header.layout, policy: header.policy, maxPages: header.maxPages }), facts.map((f) => f.fact));
  expect(dumpJson(state)).toBe(dumpJson(evolved));
}

const scenarios = scenarioArb({ minLength: 3, maxLength: 50 });

describe('a fact log edited once is refused at its edited command or after, or folds into a sound state', () => {
  it('fact edits: drop, duplicate, swap, a number ±1 or 0, cmd ±1, a text field, a cut, a whole command dropped', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, factMutationArb, async ({ options: { layout, policy, maxPages }, commands }, mutation) => {
        const header = makeHeader(layout, policy, maxPages);
        const log = runFacts(layout, policy, maxPages, commands);
        const edit = mutateFacts(log, mutation);
        const outcome = await fold(writeLog(header, edit.facts));
        if (edit.mustRefuse !== undefined) {
          // Fact i is on line i + 2.
          expect(outcome, `${JSON.stringify(mutation)} must be refused`).toHaveProperty('refused');
          const { line, file } = (outcome as { refused: InputError }).refused;
          expect(file).toBe('log');
          expect(line).toBeGreaterThanOrEqual(edit.mustRefuse.from + 2);
          expect(line).toBeLessThanOrEqual(edit.mustRefuse.to + 2);
        } else if ('refused' in outcome) {
          // Nothing before the edited command is to blame: that part of the log is a valid log's.
          expect(outcome.refused.file).toBe('log');
          expect(outcome.refused.line).toBeGreaterThanOrEqual(commandStart(edit.facts, edit.firstChanged) + 2);
          expect(outcome.refused.line).toBeLessThanOrEqual(edit.facts.length + 1);
        } else {
          expectSound(outcome.state, header, edit.facts);
          expect(outcome.commands).toBe(edit.facts.at(-1)?.cmd ?? 0);
          if (edit.firstChanged >= log.length) expect(dumpJson(outcome.state)).toBe(dumpJson(runState(layout, policy, maxPages, commands)));
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('header edits: layout fields ±1, another policy, another page limit', async () => {
    const headerEdit = fc.record({ field: fc.constantFrom('pageSize', 'pageHeaderSize', 'metaSize', 'policy', 'maxPages'), pick: fc.nat() });
    await fc.assert(
      fc.asyncProperty(scenarios, headerEdit, async ({ options: { layout, policy, maxPages }, commands }, { field, pick }) => {
        const log = runFacts(layout, policy, maxPages, commands);
        let header = makeHeader(layout, policy, maxPages);
        if (field === 'policy') header = makeHeader(layout, POLICIES[pick % POLICIES.length]!, maxPages);
        else if (field === 'maxPages') header = makeHeader(layout, policy, [null, 0, 1, 2][pick % 4]!);
        else header = makeHeader({ ...layout, [field]: layout[field] + (pick % 2 === 0 ? 1 : -1) }, policy, maxPages);
        const outcome = await fold(writeLog(header, log));
        if ('refused' in outcome) {
          expect(outcome.refused.line).toBeGreaterThanOrEqual(1);
          expect(outcome.refused.line).toBeLessThanOrEqual(log.length + 1);
        } else {
          expectSound(outcome.state, header, log);
        }
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('the edits that leave a valid log happen, and fold: a rejected command dropped with the later ones renumbered', async () => {
    const log = runFacts(LAYOUTS.seed, 'worst-fit', null, [
      { op: 'register', family: 'a', size: 8 },
      { op: 'free', id: 'ghost' },
      { op: 'alloc', id: 'x', family: 'a' },
    ]);
    const edit = mutateFacts(log, { kind: 'dropCommand', at: 1 });
    expect(edit.mustRefuse).toBeUndefined();
    const header = makeHeader(LAYOUTS.seed, 'worst-fit', null);
    const outcome = await fold(writeLog(header, edit.facts));
    expect(outcome).toHaveProperty('state');
    expectSound((outcome as { state: HeapState }).state, header, edit.facts);
    expect((outcome as { commands: number }).commands).toBe(2);
  });

  it('a split that leaves exactly metaSize bytes is a hard fragment (gap = metaSize), never a 0-byte free block', async () => {
    // Seed layout, family a of 4040 B: 4068 − 4040 = 28 = metaSize, so SPEC §1 gives gap 28.
    const log = runFacts(LAYOUTS.seed, 'worst-fit', null, [
      { op: 'register', family: 'a', size: 4040 },
      { op: 'alloc', id: 'x', family: 'a' },
    ]);
    expect(log[2]!.fact).toMatchObject({ type: 'Allocated', size: 4040, frag: 'hard', gap: 28 });
    // The forged log claims gap 0: the 28 bytes left would be a free block of 0 data bytes.
    const forged = log.map((f, i) => (i === 2 ? { ...f, fact: { ...f.fact, gap: 0 } } : f));
    const header = makeHeader(LAYOUTS.seed, 'worst-fit', null);
    const outcome = await fold(writeLog(header, forged));
    expect(outcome).toHaveProperty('refused');
    expect((outcome as { refused: InputError }).refused.line).toBe(4);
  });
});

/** The index of the first fact of the command holding fact `i` (the log's end when `i` is past it). */
function commandStart(facts: readonly CmdFact[], i: number): number {
  if (i >= facts.length) return facts.length;
  let k = i;
  while (k > 0 && facts[k - 1]!.cmd === facts[i]!.cmd) k--;
  return k;
}

function runState(layout: Layout, policy: (typeof POLICIES)[number], maxPages: number | null, commands: readonly unknown[]): HeapState {
  const engine = new Engine(initialState({ layout, policy, maxPages }));
  for (const c of commands) engine.execute(c);
  return engine.snapshot();
}
