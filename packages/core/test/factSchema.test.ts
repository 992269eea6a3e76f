/** The fact schema: decide makes facts with exactly the table's keys, in the table's order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FACT_FIELDS, FACT_SCHEMA, FACT_TYPES, isOptionalKind, type Fact } from '@lmm/core';
import { propertyRuns, runCommands, scenarioArb } from '@lmm/testkit';

/** The keys a fact must have, in order, by the table: `type`, then its fields (optional ones when present). */
function schemaKeys(fact: Fact): string[] {
  const f = fact as unknown as Record<string, unknown>;
  return ['type', ...FACT_FIELDS[fact.type].filter((x) => !isOptionalKind(x.kind) || f[x.name] !== undefined).map((x) => x.name)];
}

describe('FACT_SCHEMA', () => {
  it('lists the fact types in the order of SPEC §3, each field once', () => {
    expect(FACT_TYPES).toEqual(['Registered', 'PageRequest', 'Allocated', 'Freed', 'PageRelease', 'Rejected']);
    for (const t of FACT_TYPES) {
      expect(FACT_FIELDS[t].map((f) => f.name)).toEqual(Object.keys(FACT_SCHEMA[t]));
      // Optional fields come last: a fact's keys are its required fields, then the optional ones it has.
      const kinds = FACT_FIELDS[t].map((f) => isOptionalKind(f.kind));
      expect(kinds).toEqual([...kinds].sort((a, b) => Number(a) - Number(b)));
    }
  });

  it('takes the kinds marked ? as the optional ones, and only those', () => {
    const kinds = ['int', 'string', 'code', 'frag', 'merged', 'any', 'string?', 'true?'] as const;
    expect(kinds.filter((k) => isOptionalKind(k))).toEqual(['string?', 'true?']);
  });

  it("decide's facts have the table's keys in the table's order (the log line order)", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenarioArb(), ({ options, commands }) => {
        for (const fact of runCommands(options, commands).facts.flat()) {
          expect(Object.keys(fact)).toEqual(schemaKeys(fact));
          seen.add(fact.type);
        }
      }),
      { numRuns: propertyRuns(60) },
    );
    expect([...seen].sort()).toEqual([...FACT_TYPES].sort());
  });
});
