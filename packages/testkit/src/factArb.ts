import fc from 'fast-check';
import { FACT_FIELDS, FACT_TYPES, FRAGS, MERGED_FIELDS, REJECTION_CODES, type Fact, type FactType, type FieldKind } from '@lmm/core';

/** Options of `factArb`. */
export interface FactArbOptions {
  /** The fact types to make (default: all of `FACT_TYPES`). */
  readonly types?: readonly FactType[];
  /** Strings (ids, family names, messages; default `factStringArb`). */
  readonly strings?: fc.Arbitrary<string>;
  /** Integers (default `factIntArb`). */
  readonly ints?: fc.Arbitrary<number>;
}

/**
 * Strings as a fact may hold them: mostly plain ASCII ids and names, often with what JSON
 * escapes or spells in more than one byte — quotes, backslashes, control characters, DEL,
 * non-ASCII, astral characters and lone surrogates.
 */
export const factStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{0,12}$/) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom('a', 'Z', '9', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u0080', 'é', '€', '𝄞', '\ud800', '\udfff', '\u2028', '/', '<'), { maxLength: 8 })
      .map((cs) => cs.join('')),
  },
);

/** Integers from 0 to 2^53 − 1, small ones most often, and the edges of 31, 32 and 53 bits. */
export const factIntArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 100_000 }) },
  { weight: 2, arbitrary: fc.maxSafeNat() },
  { weight: 1, arbitrary: fc.constantFrom(0, 9, 10, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER) },
);

/**
 * Facts of any type, built from `FACT_SCHEMA`: every field of its row by kind, keys in the
 * table's order (as `decide` makes them), optional fields present or absent. A field added
 * to the table is made here with no change. Not facts a heap could have made (ids, pages and
 * sizes are arbitrary): for codecs and formats.
 */
export function factArb(options: FactArbOptions = {}): fc.Arbitrary<Fact> {
  const strings = options.strings ?? factStringArb;
  const ints = options.ints ?? factIntArb;
  const valueOf = (kind: FieldKind): fc.Arbitrary<unknown> => {
    switch (kind) {
      case 'string':
      case 'string?':
        return strings;
      case 'int':
        return ints;
      case 'frag':
        return fc.constantFrom(...FRAGS);
      case 'code':
        return fc.constantFrom(...REJECTION_CODES);
      case 'merged':
        return fc.tuple(...MERGED_FIELDS.map(() => ints)).map((vs) => Object.fromEntries(MERGED_FIELDS.map((k, i) => [k, vs[i]])));
      case 'any':
        return fc.jsonValue({ maxDepth: 3 });
      case 'true?':
        return fc.constant(true);
    }
  };
  const ofType = (type: FactType): fc.Arbitrary<Fact> =>
    fc
      .tuple(...FACT_FIELDS[type].map((f) => (f.kind === 'true?' || f.kind === 'string?' ? fc.option(valueOf(f.kind), { nil: undefined }) : valueOf(f.kind))))
      .map((values) => {
        const fact: Record<string, unknown> = { type };
        FACT_FIELDS[type].forEach((f, i) => {
          if (values[i] !== undefined) fact[f.name] = values[i];
        });
        return fact as unknown as Fact;
      });
  return fc.oneof(...(options.types ?? FACT_TYPES).map(ofType));
}
