import fc from 'fast-check';
import type { Fact } from '@lmm/core';

/** One fact of a log with the command that made it (1-based), as a log line carries it. */
export interface CmdFact {
  readonly cmd: number;
  readonly fact: Fact;
}

/**
 * One edit of a valid fact log, as a hand edit or a damaged file would make it; `at` and
 * `pick` are taken modulo what the log offers.
 * - `drop`, `duplicate`: one fact (the log's `seq` renumbered after it);
 * - `swap`: the facts at `at` and `at + 1`, each line keeping its `cmd`;
 * - `number`: a numeric field of a fact (`pick`-th of the fact's numeric fields, `merged`'s
 *   included) changed by `delta` (−1 or +1), or set to 0 when `delta` is 0;
 * - `cmd`: a fact's `cmd` changed by `delta` (±1);
 * - `text`: a string field of a fact (id, family, frag, from, code) given another value;
 * - `cut`: the log stops before fact `at` (its last line whole);
 * - `dropCommand`: every fact of one command dropped, the later commands renumbered.
 */
export type FactMutation =
  | { readonly kind: 'drop' | 'duplicate' | 'swap' | 'cut' | 'dropCommand'; readonly at: number }
  | { readonly kind: 'number' | 'cmd'; readonly at: number; readonly pick: number; readonly delta: -1 | 0 | 1 }
  | { readonly kind: 'text'; readonly at: number; readonly pick: number };

/** Every kind of `FactMutation`, in equal measure. */
export const factMutationArb: fc.Arbitrary<FactMutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const, 'swap' as const, 'cut' as const, 'dropCommand' as const), at: fc.nat() }),
  fc.record({ kind: fc.constantFrom('number' as const, 'cmd' as const), at: fc.nat(), pick: fc.nat(), delta: fc.constantFrom(-1 as const, 0 as const, 1 as const) }),
  fc.record({ kind: fc.constant('text' as const), at: fc.nat(), pick: fc.nat() }),
);

/** What a mutation did to a log. */
export interface MutatedLog {
  /** The facts after the edit. */
  readonly facts: readonly CmdFact[];
  /** The first index at which `facts` differs from the log it came from (its length when only cut or equal). */
  readonly firstChanged: number;
  /**
   * When the edit must make the log refused: the range of fact indexes (0-based, inclusive,
   * in the edited log) one of which the refusal must name. Undefined when the edited log
   * may still be valid (a different id or family size, a reordered pair of rejections, a
   * whole command dropped…).
   */
  readonly mustRefuse?: { readonly from: number; readonly to: number };
}

/** The numeric fields of a fact, as paths (`merged.size`), `seq` and `cmd` aside. */
export function numericFields(fact: Fact): string[] {
  switch (fact.type) {
    case 'Registered':
      return ['size'];
    case 'PageRequest':
    case 'PageRelease':
      return ['page', 'count'];
    case 'Allocated':
      return ['page', 'offset', 'size', 'units', 'gap'];
    case 'Freed':
      return ['page', 'offset', 'size', 'merged.offset', 'merged.size'];
    case 'Rejected':
      return [];
  }
}

const TEXT_FIELDS = ['id', 'family', 'frag', 'from', 'code'] as const;
const OTHER_TEXT: Readonly<Record<(typeof TEXT_FIELDS)[number], readonly string[]>> = {
  id: ['zz', 'e1', ''],
  family: ['zz_t', 'a'],
  frag: ['none', 'hard', 'soft', 'large'],
  from: ['zz', 'e1'],
  code: ['E_BAD_COMMAND', 'E_NOT_ALLOCATED', 'E_OUT_OF_MEMORY'],
};

/** The first and last index of the command holding fact `i`. */
function group(facts: readonly CmdFact[], i: number): { from: number; to: number } {
  let from = i;
  let to = i;
  while (from > 0 && facts[from - 1]!.cmd === facts[i]!.cmd) from--;
  while (to < facts.length - 1 && facts[to + 1]!.cmd === facts[i]!.cmd) to++;
  return { from, to };
}

function setPath(fact: Fact, path: string, value: unknown): Fact {
  const [head, tail] = path.split('.') as [string, string | undefined];
  const f = fact as unknown as Record<string, unknown>;
  if (tail === undefined) return { ...f, [head]: value } as unknown as Fact;
  return { ...f, [head]: { ...(f[head] as Record<string, unknown>), [tail]: value } } as unknown as Fact;
}

function getPath(fact: Fact, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], fact);
}

/**
 * Applies `m` to a valid, non-empty log's facts. Under `mustRefuse` are the edits no valid
 * log survives: a numeric field of a page, block or free fact changed (its command, which
 * the log implies, stays the same, so its facts must be decide's); a fact dropped or
 * duplicated except a command's only fact at the log's end; a cut inside a command; a `cmd`
 * changed (a fact moved into a neighbouring command, which then holds more or fewer facts
 * than decide makes, or a command left without facts); a rejection's code or a split's frag
 * changed. The ranges are those of SPEC §3's reader: the command at fault, or its neighbour
 * when a fact moved between them.
 */
export function mutateFacts(log: readonly CmdFact[], m: FactMutation): MutatedLog {
  const n = log.length;
  const at = m.at % n;
  const facts = [...log];
  switch (m.kind) {
    case 'drop': {
      const g = group(log, at);
      facts.splice(at, 1);
      const alone = g.from === g.to;
      // A command's only fact: the next command's first line is where a command is missing.
      if (alone) return at === n - 1 ? { facts, firstChanged: at } : { facts, firstChanged: at, mustRefuse: { from: at, to: at } };
      return { facts, firstChanged: at, mustRefuse: { from: g.from, to: Math.min(g.to - 1, facts.length - 1) } };
    }
    case 'duplicate': {
      const g = group(log, at);
      facts.splice(at, 0, log[at]!);
      return { facts, firstChanged: at + 1, mustRefuse: { from: g.from, to: g.to + 1 } };
    }
    case 'swap': {
      if (n < 2) return { facts, firstChanged: n };
      const i = at % (n - 1);
      facts[i] = { cmd: log[i]!.cmd, fact: log[i + 1]!.fact };
      facts[i + 1] = { cmd: log[i + 1]!.cmd, fact: log[i]!.fact };
      return { facts, firstChanged: same(log[i]!.fact, log[i + 1]!.fact) ? n : i };
    }
    case 'cut': {
      const cut = facts.slice(0, at);
      if (at === 0 || log[at - 1]!.cmd !== log[at]!.cmd) return { facts: cut, firstChanged: at };
      return { facts: cut, firstChanged: at, mustRefuse: { from: group(log, at - 1).from, to: at - 1 } };
    }
    case 'dropCommand': {
      const g = group(log, at);
      const out = [...log.slice(0, g.from), ...log.slice(g.to + 1).map((f) => ({ cmd: f.cmd - 1, fact: f.fact }))];
      return { facts: out, firstChanged: g.from };
    }
    case 'number': {
      const fields = numericFields(log[at]!.fact);
      if (fields.length === 0) return { facts, firstChanged: n };
      const path = fields[m.pick % fields.length]!;
      const old = getPath(log[at]!.fact, path) as number;
      const value = m.delta === 0 ? 0 : old + m.delta;
      if (value === old) return { facts, firstChanged: n };
      facts[at] = { cmd: log[at]!.cmd, fact: setPath(log[at]!.fact, path, value) };
      // A family's size is the register command itself: the log may stay valid.
      if (log[at]!.fact.type === 'Registered') return { facts, firstChanged: at };
      return { facts, firstChanged: at, mustRefuse: group(log, at) };
    }
    case 'cmd': {
      const delta = m.delta === 0 ? 1 : m.delta;
      facts[at] = { cmd: log[at]!.cmd + delta, fact: log[at]!.fact };
      const g = group(log, at);
      const before = g.from > 0 ? group(log, g.from - 1).from : 0;
      const after = g.to < n - 1 ? group(log, g.to + 1).to : n - 1;
      return { facts, firstChanged: at, mustRefuse: { from: before, to: after } };
    }
    case 'text': {
      const fact = log[at]!.fact as unknown as Record<string, unknown>;
      const fields = TEXT_FIELDS.filter((k) => typeof fact[k] === 'string');
      if (fields.length === 0) return { facts, firstChanged: n };
      const field = fields[m.pick % fields.length]!;
      const choices = OTHER_TEXT[field].filter((v) => v !== fact[field]);
      facts[at] = { cmd: log[at]!.cmd, fact: { ...fact, [field]: choices[m.pick % choices.length] } as unknown as Fact };
      // A rejection's code and a split's frag are decide's alone; an id or a family is part of the command.
      return field === 'code' || field === 'frag' ? { facts, firstChanged: at, mustRefuse: group(log, at) } : { facts, firstChanged: at };
    }
  }
}

function same(a: Fact, b: Fact): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
