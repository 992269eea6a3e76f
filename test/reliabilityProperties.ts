/**
 * Fuzz and model-based properties of the engine, shared by the suite
 * (`reliabilityFuzz.test.ts`) and `pnpm fuzz` (scripts/fuzz.ts):
 *
 * - `step` on anything a JSON trace can hold (any JSON value; objects with an `op` and
 *   fields of any type, odd ids and names, huge and fractional numbers), from realistic
 *   heaps (testkit scenarios): never throws, keeps every invariant, changes nothing when it
 *   rejects, and its facts round-trip through the fact log (written, read back, folded);
 * - the RxJS engine (`heapSteps` over `fromBatches`) against `SimpleModel` with
 *   `fc.commands` / `fc.asyncModelRun`: live ids, allocation counts, pages in use ≥ 0 and
 *   the rejection code of every command whose fate is plain (double free, unknown family,
 *   id in use, bad units, bad names and sizes).
 */
import fc from 'fast-check';
import { checkInvariants, Engine, initialState, LAYOUTS, maxAlloc, POLICIES, MAX_REQUEST_BYTES, step, type Fact, type HeapState, type Layout, type LoggedFact, type Policy, type RejectionCode } from '@lmm/core';
import { fromBatches, heapSteps, type HeapStep } from '@lmm/events';
import { factLine, parseFact } from '@lmm/replay';
import { fingerprint, scenarioArb, type Scenario } from '@lmm/testkit';

/** A property and the runs it gets in the test suite (`pnpm fuzz --runs N` overrides). */
export interface FuzzProperty {
  readonly name: string;
  readonly property: fc.IRawProperty<unknown>;
  readonly runs: number;
}

// ---------------------------------------------------------------------------------------
// step on hostile commands

const ODD_STRINGS = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', '', ' ', '\u0000', '\ud800', 'x'.repeat(70), 'a b', 'caf\u00e9'];
const OPS = ['register', 'alloc', 'free', 'realloc'];

/** Any number a JSON trace can give (1e400 parses as Infinity; -0 as -0), and a few JS-only ones. */
const anyNumber = fc.oneof(
  fc.integer({ min: -3, max: 5000 }),
  fc.constantFrom(0, -0, 0.5, 1.5, 2 ** 31, 2 ** 31 + 1, 2 ** 53, 2 ** 53 + 2, 1e300, Infinity, -Infinity, NaN, Number.MIN_VALUE),
  fc.double(),
);

/** A field value: usually of the right kind (picked from the heap when `pick` is set), often not. */
function fieldArb(kind: 'id' | 'family' | 'number'): fc.Arbitrary<unknown> {
  const right = kind === 'number' ? anyNumber : fc.oneof(fc.nat(7).map((n) => ({ pick: kind, n })), fc.constantFrom(...ODD_STRINGS), fc.string({ maxLength: 6 }));
  return fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
}

/** A command as a template: any JSON value, or an object with an op and fields of any type; `{pick}` values are resolved against the heap. */
export const hostileCommandArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.record(
          {
            op: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...OPS) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_STRINGS) }),
            id: fieldArb('id'),
            family: fieldArb('family'),
            size: fieldArb('number'),
            units: fieldArb('number'),
            to: fieldArb('id'),
          },
          { requiredKeys: ['op'] },
        ),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', 'constructor', 'op')), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
      )
      .map(([fields, extra]) => Object.assign(Object.create(null) as object, extra, fields)),
  },
);

/** The template with `{pick}` values replaced by a live id or a registered family of `state` (when there is one). */
export function resolve(template: unknown, state: HeapState): unknown {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) return template;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(template)) {
    if (typeof v === 'object' && v !== null && 'pick' in v && 'n' in v) {
      const n = (v as { n: number }).n;
      if ((v as { pick: string }).pick === 'id') {
        const ids = [...state.live.keys()];
        out[k] = ids.length === 0 ? `id${n}` : ids[n % ids.length];
      } else {
        const names = [...state.families.values()].map((f) => f.name);
        out[k] = names.length === 0 ? `fam${n}` : names[n % names.length];
      }
    } else out[k] = v;
  }
  return out;
}

/**
 * One hostile command against `state`: `step` does not throw, keeps the invariants, leaves
 * the state as it was when it rejects, and its facts survive a trip through the fact log
 * (`factLine` → `parseFact` → fold gives the same state). Returns the state after it.
 */
export function checkHostileStep(state: HeapState, command: unknown, cmd: number): HeapState {
  const before = fingerprint(state);
  const { state: after, facts } = step(state, command);
  const broken = checkInvariants(after);
  if (broken.length > 0) throw new Error(`invariants broken by ${safeJson(command)}: ${broken.join('; ')}`);
  if (facts.length === 0) throw new Error(`no facts for ${safeJson(command)}`);
  if (facts[0]!.type === 'Rejected') {
    if (facts.length !== 1) throw new Error('a Rejected fact must be alone');
    if (fingerprint(after) !== before) throw new Error(`rejected ${safeJson(command)} changed the state`);
  }
  // What lmm writes, lmm reads: each fact line parses, and the parsed facts fold to the same state.
  const engine = new Engine(state);
  facts.forEach((f, i) => {
    const parsed: LoggedFact = parseFact(factLine(i + 1, cmd, f), 'log', i + 2, i + 1, cmd);
    engine.apply(parsed);
  });
  if (fingerprint(engine.snapshot()) !== fingerprint(after)) throw new Error(`the facts of ${safeJson(command)} do not fold back to the state`);
  return after;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 200) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Runs a testkit scenario to a realistic heap. */
function heapOf(scenario: Scenario): HeapState {
  let state = initialState(scenario.options);
  for (const c of scenario.commands) state = step(state, c).state;
  return state;
}

// ---------------------------------------------------------------------------------------
// a simple model of what a command does

/** What the model expects a command to do: succeed (as which fact), or be rejected with a code. */
export type Expected = { readonly ok: Outcome } | { readonly rejected: RejectionCode };

/** What a command that is not rejected does. */
export type Outcome = 'Registered' | 'Allocated' | 'Freed' | 'Reallocated';

/**
 * A model of the heap that knows nothing of pages and blocks: registered families, live ids
 * (with their family and size) and counters. Without a page limit, it tells the outcome of
 * every command exactly (SPEC §1, check order included).
 */
export class SimpleModel {
  readonly families = new Map<string, number>();
  /** Live id → [family, bytes]. */
  readonly live = new Map<string, [string, number]>();
  allocs = 0;
  frees = 0;

  constructor(readonly layout: Layout) {}

  /** The outcome of `cmd`, applied to the model. */
  apply(cmd: unknown): Expected {
    if (typeof cmd !== 'object' || cmd === null || Array.isArray(cmd)) return { rejected: 'E_BAD_COMMAND' };
    const c = cmd as Record<string, unknown>;
    const str = (k: string, optional = false) => (optional && c[k] === undefined) || (typeof c[k] === 'string' && (c[k] !== '' || k === 'family'));
    const num = (k: string, optional = false) => (optional && c[k] === undefined) || typeof c[k] === 'number';
    const unitsOk = (units: number, size: number) => Number.isInteger(units) && units >= 1 && units * size <= MAX_REQUEST_BYTES;
    switch (c.op) {
      case 'register': {
        if (!str('family') || !num('size')) return { rejected: 'E_BAD_COMMAND' };
        const name = c.family as string;
        const size = c.size as number;
        if (!/^[\x21-\x7e]{1,64}$/.test(name)) return { rejected: 'E_FAMILY_NAME' };
        if (this.families.has(name)) return { rejected: 'E_FAMILY_EXISTS' };
        if (!Number.isInteger(size) || size < 1 || size > maxAlloc(this.layout)) return { rejected: 'E_FAMILY_SIZE' };
        this.families.set(name, size);
        return { ok: 'Registered' };
      }
      case 'alloc': {
        if (!str('id') || !str('family') || !num('units', true)) return { rejected: 'E_BAD_COMMAND' };
        const size = this.families.get(c.family as string);
        if (size === undefined) return { rejected: 'E_UNKNOWN_FAMILY' };
        const units = (c.units as number | undefined) ?? 1;
        if (!unitsOk(units, size)) return { rejected: 'E_BAD_UNITS' };
        if (this.live.has(c.id as string)) return { rejected: 'E_ID_IN_USE' };
        this.live.set(c.id as string, [c.family as string, units * size]);
        this.allocs++;
        return { ok: 'Allocated' };
      }
      case 'free': {
        if (!str('id')) return { rejected: 'E_BAD_COMMAND' };
        if (!this.live.delete(c.id as string)) return { rejected: 'E_NOT_ALLOCATED' };
        this.frees++;
        return { ok: 'Freed' };
      }
      case 'realloc': {
        if (!str('id') || !str('to', true) || !num('units', true)) return { rejected: 'E_BAD_COMMAND' };
        const id = c.id as string;
        const to = (c.to as string | undefined) ?? id;
        const entry = this.live.get(id);
        if (entry === undefined) return { rejected: 'E_NOT_ALLOCATED' };
        const size = this.families.get(entry[0])!;
        const units = (c.units as number | undefined) ?? 1;
        if (!unitsOk(units, size)) return { rejected: 'E_BAD_UNITS' };
        if (to !== id && this.live.has(to)) return { rejected: 'E_ID_IN_USE' };
        this.live.delete(id);
        this.live.set(to, [entry[0], units * size]);
        this.allocs++;
        this.frees++;
        return { ok: 'Reallocated' };
      }
      default:
        return { rejected: 'E_BAD_COMMAND' };
    }
  }
}

/** Commands over a few ids and families, so that double frees, ids in use and unknown families happen often. */
export const modelCommandArb: fc.Arbitrary<unknown> = (() => {
  const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', '__proto__');
  const family = fc.constantFrom('f1', 'f2', 'f3', 'constructor');
  const units = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 30 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 31, 1e300) });
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ op: fc.constant('register'), family: fc.oneof(family, fc.constantFrom('bad name', '')), size: fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.constantFrom(0, 5000, 2.5)) }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('alloc'), id, family, units }, { requiredKeys: ['op', 'id', 'family'] }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('free'), id }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('realloc'), id, units, to: id }, { requiredKeys: ['op', 'id'] }) },
    { weight: 1, arbitrary: fc.constantFrom(null, 7, 'free a', [], { op: 'nope' }, { op: 'alloc', id: 5, family: 'f1' }, { op: 'free', id: '' }) },
  );
})();

/** Whether `facts` are what the model expected. Returns a complaint, or undefined. */
export function factsMatch(expected: Expected, facts: readonly Fact[]): string | undefined {
  const types = facts.map((f) => (f.type === 'Rejected' ? f.code : f.type)).join(' ');
  if ('rejected' in expected) return types === expected.rejected ? undefined : `expected ${expected.rejected}, got ${types}`;
  const ok: Record<Outcome, RegExp> = {
    Registered: /^Registered$/,
    Allocated: /^(PageRequest )?Allocated$/,
    Freed: /^Freed( PageRelease)?$/,
    Reallocated: /^(PageRequest )?Allocated Freed( PageRelease)?$/,
  };
  return ok[expected.ok].test(types) ? undefined : `expected ${expected.ok}, got ${types}`;
}

// ---------------------------------------------------------------------------------------
// the RxJS engine, driven one command at a time

/** The engine as `heapSteps` over a `fromBatches` source that the test feeds one command at a time. */
class StreamEngine {
  private waiting: ((r: IteratorResult<readonly unknown[]>) => void) | undefined;
  private nextStep: ((s: HeapStep) => void) | undefined;
  private failure: unknown;
  private readonly subscription;
  /** Pages in use as the page facts of the stream tell it. */
  pagesFromFacts = 0;
  lastSeq = 0;
  lastCmd = 0;

  constructor(initial: HeapState) {
    const source: AsyncIterator<readonly unknown[]> = {
      next: () => new Promise((resolve) => (this.waiting = resolve)),
      return: async () => ({ done: true, value: undefined }),
    };
    this.subscription = fromBatches(() => source)
      .pipe(heapSteps(initial))
      .subscribe({ next: (s) => this.nextStep?.(s), error: (e: unknown) => (this.failure = e) });
  }

  /** Sends one command; resolves with its step. */
  send(command: unknown): Promise<HeapStep> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const got = new Promise<HeapStep>((resolve) => (this.nextStep = resolve));
    const w = this.waiting;
    this.waiting = undefined;
    if (w === undefined) return Promise.reject(new Error('the stream did not ask for the next command'));
    w({ done: false, value: [command] });
    return got;
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}

/** One command run by both: the step must be numbered in order, match the model, and leave the same live ids. */
class SendCommand implements fc.AsyncCommand<SimpleModel, StreamEngine> {
  constructor(readonly command: unknown) {}
  check(): boolean {
    return true;
  }
  async run(model: SimpleModel, real: StreamEngine): Promise<void> {
    const expected = model.apply(this.command);
    const s = await real.send(this.command);
    const complaint = factsMatch(expected, s.facts);
    if (complaint !== undefined) throw new Error(`${this.toString()}: ${complaint}`);
    if (s.cmd !== real.lastCmd + 1) throw new Error(`step numbered ${s.cmd} after ${real.lastCmd}`);
    real.lastCmd = s.cmd;
    for (const f of s.facts) {
      if (f.seq !== real.lastSeq + 1 || f.cmd !== s.cmd) throw new Error(`fact numbered seq ${f.seq} cmd ${f.cmd}`);
      real.lastSeq = f.seq;
      if (f.type === 'PageRequest') real.pagesFromFacts += f.count;
      if (f.type === 'PageRelease') real.pagesFromFacts -= f.count;
    }
    const st = s.state;
    if (real.pagesFromFacts < 0 || st.pagesInUse !== real.pagesFromFacts) throw new Error(`pages in use ${st.pagesInUse}, the facts say ${real.pagesFromFacts}`);
    const liveReal = [...st.live.keys()].sort();
    const liveModel = [...model.live.keys()].sort();
    if (JSON.stringify(liveReal) !== JSON.stringify(liveModel)) throw new Error(`live ids ${JSON.stringify(liveReal)}, the model has ${JSON.stringify(liveModel)}`);
    let bytes = 0;
    for (const [, b] of model.live.values()) bytes += b;
    if (st.liveBytes !== bytes) throw new Error(`live bytes ${st.liveBytes}, the model has ${bytes}`);
    const broken = checkInvariants(st);
    if (broken.length > 0) throw new Error(broken.join('; '));
  }
  toString(): string {
    return safeJson(this.command);
  }
}

const layoutArb = fc.constantFrom(LAYOUTS.seed, LAYOUTS.lmm64, LAYOUTS.lmm32);
const policyArb = fc.constantFrom<Policy>(...POLICIES);

/** The engine properties. */
export function engineProperties(): FuzzProperty[] {
  return [
    {
      name: 'step on any JSON value or odd command, from realistic heaps: no throw, invariants kept, rejections change nothing, facts round-trip',
      runs: 250,
      property: fc.property(scenarioArb({ maxLength: 40, maxPages: fc.constant(null) }), fc.array(hostileCommandArb, { minLength: 1, maxLength: 25 }), (scenario, templates) => {
        let state = heapOf(scenario);
        templates.forEach((t, i) => {
          state = checkHostileStep(state, resolve(t, state), i + 1);
        });
      }),
    },
    {
      name: 'step on realistic commands under a page limit: no throw, invariants kept, rejections change nothing',
      runs: 150,
      property: fc.property(scenarioArb({ maxLength: 80 }), fc.array(hostileCommandArb, { maxLength: 10 }), (scenario, templates) => {
        let state = initialState(scenario.options);
        scenario.commands.forEach((c, i) => {
          state = checkHostileStep(state, c, i + 1);
        });
        templates.forEach((t, i) => {
          state = checkHostileStep(state, resolve(t, state), i + 1);
        });
      }),
    },
    {
      name: 'the RxJS engine against a simple model (fc.commands): live ids, bytes, pages from facts, plain rejections',
      runs: 500,
      property: fc.asyncProperty(layoutArb, policyArb, fc.commands([modelCommandArb.map((c) => new SendCommand(c))], { maxCommands: 60, size: 'max' }), async (layout, policy, commands) => {
        const real = new StreamEngine(initialState({ layout, policy, maxPages: null }));
        try {
          await fc.asyncModelRun(() => ({ model: new SimpleModel(layout), real }), commands);
        } finally {
          real.close();
        }
      }),
    },
  ];
}
