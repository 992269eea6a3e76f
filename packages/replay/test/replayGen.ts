/**
 * Test helpers for the replay tests: random runs (commands resolved against the live ids as
 * they run, so most of them do something), written to fact logs in a temporary directory.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, initialState, LAYOUTS, policyAfter, POLICIES, type Fact, type HeapState, type Layout, type Policy, type PolicySwitch } from '@lmm/core';
import { factLine, headerLine, makeHeader } from '@lmm/replay';

/** An abstract step: resolved against the live ids when the run gets there. */
export type Op =
  | { readonly op: 'alloc'; readonly family: number; readonly units: number }
  | { readonly op: 'free'; readonly pick: number } // pick < 0: the newest live id
  | { readonly op: 'realloc'; readonly pick: number; readonly units: number; readonly rename: boolean }
  | { readonly op: 'bad' };

/** The families every run registers first: small, medium and a big one whose multi-unit requests are large blocks. */
export const FAMILIES = [
  { name: 'a_t', size: 24 },
  { name: 'b_t', size: 100 },
  { name: 'c_t', size: 700 },
] as const;

/** A pick among the live ids, spread over the whole range (fc.nat alone favours the first few, the oldest). */
export const pickArb = fc.nat().map((k) => Math.imul(k, 2654435761) >>> 0);

const unitsArb = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 2, arbitrary: fc.integer({ min: 4, max: 40 }) });

/** Abstract steps: mostly allocations and frees, some reallocs, a few bad commands. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 25, arbitrary: fc.record({ op: fc.constant('alloc' as const), family: fc.integer({ min: 0, max: 2 }), units: unitsArb }) },
  { weight: 20, arbitrary: fc.record({ op: fc.constant('free' as const), pick: pickArb }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('realloc' as const), pick: pickArb, units: unitsArb, rename: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'bad' as const }) },
);

/** Run settings. */
export interface RunSettings {
  readonly layout: Layout;
  readonly policy: Policy;
  readonly maxPages: number | null;
  /** A what-if branch (`run --switch`): the commands after `change.cmd` run under `change.policy`. */
  readonly change?: PolicySwitch;
}

export const settingsArb: fc.Arbitrary<RunSettings> = fc.record({
  layout: fc.constantFrom(LAYOUTS.seed, LAYOUTS.lmm64, { pageSize: 512, pageHeaderSize: 8, metaSize: 16 }),
  policy: fc.constantFrom<Policy>(...POLICIES),
  maxPages: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }) }),
});

/** Turns abstract steps into commands: registrations first, then each step against the ids live at that point. */
export function resolve(ops: readonly Op[]): unknown[] {
  const commands: unknown[] = FAMILIES.map((f) => ({ op: 'register', family: f.name, size: f.size }));
  const live: string[] = [];
  let next = 0;
  // Live ids are tracked optimistically (a rejected alloc still adds one): frees of such ids are rejected, which is fine.
  for (const o of ops) {
    switch (o.op) {
      case 'alloc': {
        const id = `x${next++}`;
        live.push(id);
        commands.push({ op: 'alloc', id, family: FAMILIES[o.family]!.name, units: o.units });
        break;
      }
      case 'free': {
        if (live.length === 0) break;
        // A negative pick frees the newest live id (as programs often do).
        const [id] = live.splice(o.pick < 0 ? live.length - 1 : o.pick % live.length, 1);
        commands.push({ op: 'free', id });
        break;
      }
      case 'realloc': {
        if (live.length === 0) break;
        const i = o.pick % live.length;
        const id = live[i]!;
        const to = o.rename ? `x${next++}` : id;
        live[i] = to;
        commands.push({ op: 'realloc', id, units: o.units, to });
        break;
      }
      case 'bad':
        commands.push({ op: 'free', id: 'never-allocated' });
        break;
    }
  }
  return commands;
}

/** A run: every state (index = command number, 0 = empty) and every command's facts. */
export interface Run {
  readonly settings: RunSettings;
  readonly states: HeapState[];
  readonly facts: Fact[][];
}

/** Runs commands with the engine, keeping every state. */
export function run(settings: RunSettings, commands: readonly unknown[]): Run {
  const { change } = settings;
  const engine = new Engine(initialState({ ...settings, policy: policyAfter(settings.policy, change, 0) }));
  const states = [engine.snapshot()];
  const facts: Fact[][] = [];
  for (const c of commands) {
    facts.push(engine.execute(c));
    if (change?.cmd === facts.length) engine.setPolicy(change.policy);
    states.push(engine.snapshot());
  }
  return { settings, states, facts };
}

/** The fact log of a run as text (SPEC §3). */
export function logText(r: Pick<Run, 'settings' | 'facts'>): string {
  const lines = [headerLine(makeHeader(r.settings.layout, r.settings.policy, r.settings.maxPages, r.settings.change))];
  let seq = 0;
  r.facts.forEach((fs, i) => {
    for (const f of fs) lines.push(factLine(++seq, i + 1, f));
  });
  return `${lines.join('\n')}\n`;
}

let files = 0;
/** Writes a run's fact log into `dir`; returns its path. */
export function writeLog(dir: string, r: Pick<Run, 'settings' | 'facts'>): string {
  const path = join(dir, `run${files++}.jsonl`);
  writeFileSync(path, logText(r));
  return path;
}
