import type { AllocatedFact, Fact, FactType, Frag, FreedFact, MergedBlock, PageReleaseFact, PageRequestFact, RegisteredFact, RejectedFact } from './fact.js';
import type { RejectionCode } from './rejection.js';

/**
 * What a fact field holds, as a JSON value:
 * - `string`: a string;
 * - `int`: an integer from 0 to 2^53 − 1;
 * - `frag`: one of `FRAGS`;
 * - `code`: a rejection code (`REJECTION_CODES`);
 * - `merged`: an object `{offset, size}` of `int`s, keys in that order (`MERGED_FIELDS`);
 * - `any`: any JSON value (a Rejected fact's command, as given);
 * - `true?`: `true`, or absent;
 * - `string?`: a string, or absent.
 */
export type FieldKind = 'string' | 'int' | 'frag' | 'code' | 'merged' | 'any' | 'true?' | 'string?';

/** The kinds a fact may leave out. */
export type OptionalKind = 'true?' | 'string?';

/** The values of an Allocated fact's `frag`, in the order the compact codecs number them. */
export const FRAGS = ['none', 'hard', 'soft', 'large'] as const satisfies readonly Frag[];

/** The keys of a `merged` field's object, in their JSON order. */
export const MERGED_FIELDS = ['offset', 'size'] as const satisfies readonly (keyof MergedBlock)[];

/**
 * The fact schema (SPEC §3): for each fact type, in the order the codecs number the types, its
 * fields besides `type` with their kinds, in the order of their JSON keys in a fact log line
 * (after `seq`, `cmd` and `type`). Optional fields come last. The fact-log writer and reader,
 * the replay's compact fact store and the viewer's codec are derived from it (or held to it by
 * tests), and `SchemaAgreesWithFact` holds fact.ts's types to it.
 */
export const FACT_SCHEMA = {
  Registered: { family: 'string', size: 'int' },
  PageRequest: { family: 'string', page: 'int', count: 'int' },
  Allocated: { id: 'string', family: 'string', page: 'int', offset: 'int', size: 'int', units: 'int', frag: 'frag', gap: 'int', realloc: 'true?', from: 'string?' },
  Freed: { id: 'string', family: 'string', page: 'int', offset: 'int', size: 'int', merged: 'merged', realloc: 'true?' },
  PageRelease: { family: 'string', page: 'int', count: 'int' },
  Rejected: { command: 'any', code: 'code', message: 'string' },
} as const satisfies { readonly [T in FactType]: Readonly<Record<string, FieldKind>> };

/** A field of a fact type: its key and kind. */
export interface FactField {
  readonly name: string;
  readonly kind: FieldKind;
}

/** The fact types in the table's order (their number in the compact codecs is their index). */
export const FACT_TYPES: readonly FactType[] = Object.keys(FACT_SCHEMA) as FactType[];

/** Each fact type's fields besides `type`, in the table's (the JSON) order, as arrays to loop over. */
export const FACT_FIELDS: { readonly [T in FactType]: readonly FactField[] } = Object.fromEntries(
  FACT_TYPES.map((t) => [t, Object.entries(FACT_SCHEMA[t]).map(([name, kind]): FactField => ({ name, kind }))]),
) as unknown as { [T in FactType]: readonly FactField[] };

/** True when `kind` may be absent from a fact. */
export function isOptionalKind(kind: FieldKind): kind is OptionalKind {
  return kind === 'true?' || kind === 'string?';
}

/** The TypeScript type of a field of each kind. */
interface KindValue {
  string: string;
  int: number;
  frag: Frag;
  code: RejectionCode;
  merged: MergedBlock;
  any: unknown;
  'true?': true;
  'string?': string;
}

type Row<T extends FactType> = (typeof FACT_SCHEMA)[T];
type ValueOf<K> = K extends FieldKind ? KindValue[K] : never;
type Flat<X> = { [K in keyof X]: X[K] };

/** The fact type a row of the table describes: `type`, then its fields, optional kinds as optional properties. */
export type SchemaFact<T extends FactType> = Flat<
  { readonly type: T } & { readonly [K in keyof Row<T> as Row<T>[K] extends OptionalKind ? never : K]: ValueOf<Row<T>[K]> } & {
    readonly [K in keyof Row<T> as Row<T>[K] extends OptionalKind ? K : never]?: ValueOf<Row<T>[K]>;
  }
>;

/** True when A and B are the same type (not merely assignable to each other). */
type Same<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

/**
 * The table and fact.ts's types agree: each row gives exactly its fact interface (fields,
 * their types, which are optional) and the table has a row for every fact type and no other.
 * A field added to one and not the other fails to compile here.
 */
export type SchemaAgreesWithFact = [
  Expect<Same<SchemaFact<'Registered'>, RegisteredFact>>,
  Expect<Same<SchemaFact<'PageRequest'>, PageRequestFact>>,
  Expect<Same<SchemaFact<'Allocated'>, AllocatedFact>>,
  Expect<Same<SchemaFact<'Freed'>, FreedFact>>,
  Expect<Same<SchemaFact<'PageRelease'>, PageReleaseFact>>,
  Expect<Same<SchemaFact<'Rejected'>, RejectedFact>>,
  Expect<Same<keyof typeof FACT_SCHEMA, Fact['type']>>,
  Expect<Same<(typeof FRAGS)[number], Frag>>,
  Expect<Same<(typeof MERGED_FIELDS)[number], keyof MergedBlock>>,
];
