import fc from 'fast-check';

/**
 * How big a family's struct is, relative to the layout's maxAlloc (resolved by
 * `resolveIntents`): `tiny` 1–16 B, `small` 1–128 B, `medium` anything up to maxAlloc,
 * `half` about maxAlloc/2 or /3 (exact-fit interplay), `near` within metaSize + 8 bytes
 * of maxAlloc (hard fragmentation on a fresh page), `max` exactly maxAlloc. `r` picks
 * within the band.
 */
export type SizeBand = 'tiny' | 'small' | 'medium' | 'half' | 'near' | 'max';

/** A family size choice; see `SizeBand`. */
export interface SizeIntent {
  readonly band: SizeBand;
  readonly r: number;
}

/**
 * How many units a request asks for, relative to its family (resolved by `resolveIntents`):
 * `omit` leaves the field out (default 1), `one` says 1, `few` 1–8, `page` up to what one
 * page holds, `large` enough for a multi-page block of up to 4 pages, `edge` the most that
 * stays within 2^31 bytes, `bad` 0, negative, fractional or above 2^31 bytes (E_BAD_UNITS).
 */
export type UnitsBand = 'omit' | 'one' | 'few' | 'page' | 'large' | 'edge' | 'bad';

/** A units choice; see `UnitsBand`. */
export interface UnitsIntent {
  readonly band: UnitsBand;
  readonly r: number;
}

/** The id of a new allocation: a never-used one, a freed one again, or one that is live (E_ID_IN_USE). */
export type IdPick = 'fresh' | 'reuse' | 'live';

/**
 * The id a free or realloc names: a live one (picked by `r` modulo their count), one of the
 * three most recently allocated live ones (`recent`: neighbours in the heap, so frees merge),
 * a freed one, or one never used.
 */
export type TargetPick = 'live' | 'recent' | 'freed' | 'never';

/** A realloc's `to`: left out, equal to the id, a fresh id, a freed id, or another live id (E_ID_IN_USE). */
export type ToPick = 'omit' | 'same' | 'fresh' | 'reuse' | 'live';

/**
 * An abstract step of a command sequence, resolved against the ids and families made so
 * far by `resolveIntents`: generated without any model of the heap, yet most frees and
 * reallocs hit live ids. `register.name` picks the name style (0–3: an odd but valid name
 * such as `__proto__` or 64 characters; 92–99: a name already registered, E_FAMILY_EXISTS;
 * else `fN`). `alloc.repeat` makes that many allocs in a row, alike but for their fresh ids
 * (arrays of structs: equal-sized neighbours). `alloc.family` picks a family modulo their count (63: one never registered,
 * E_UNKNOWN_FAMILY). `r` fields are raw randomness the resolver picks with. `bad` is a
 * malformed or rule-breaking command (see `badCommand`).
 */
export type Intent =
  | { readonly kind: 'register'; readonly size: SizeIntent; readonly name: number }
  | { readonly kind: 'alloc'; readonly family: number; readonly units: UnitsIntent; readonly id: IdPick; readonly r: number; readonly repeat: number }
  | { readonly kind: 'free'; readonly target: TargetPick; readonly r: number }
  | { readonly kind: 'realloc'; readonly target: TargetPick; readonly r: number; readonly units: UnitsIntent; readonly to: ToPick }
  | { readonly kind: 'bad'; readonly variant: number; readonly r: number };

const r = fc.nat({ max: 0x7fffffff });

/** Family sizes: all bands, small ones most often. */
export const sizeIntentArb: fc.Arbitrary<SizeIntent> = fc.record({
  band: fc.oneof(
    { weight: 3, arbitrary: fc.constant<SizeBand>('tiny') },
    { weight: 4, arbitrary: fc.constant<SizeBand>('small') },
    { weight: 2, arbitrary: fc.constant<SizeBand>('medium') },
    { weight: 1, arbitrary: fc.constant<SizeBand>('half') },
    { weight: 1, arbitrary: fc.constant<SizeBand>('near') },
    { weight: 1, arbitrary: fc.constant<SizeBand>('max') },
  ),
  r,
});

/** Units: mostly 1 or a few, sometimes a page's worth or a multi-page block, rarely the 2^31 edge or bad. */
export const unitsIntentArb: fc.Arbitrary<UnitsIntent> = fc.record({
  band: fc.oneof(
    { weight: 20, arbitrary: fc.constant<UnitsBand>('omit') },
    { weight: 20, arbitrary: fc.constant<UnitsBand>('one') },
    { weight: 20, arbitrary: fc.constant<UnitsBand>('few') },
    { weight: 8, arbitrary: fc.constant<UnitsBand>('page') },
    { weight: 6, arbitrary: fc.constant<UnitsBand>('large') },
    { weight: 1, arbitrary: fc.constant<UnitsBand>('edge') },
    { weight: 2, arbitrary: fc.constant<UnitsBand>('bad') },
  ),
  r,
});

const registerArb: fc.Arbitrary<Intent> = fc.record({ kind: fc.constant('register' as const), size: sizeIntentArb, name: fc.nat({ max: 99 }) });

const allocArb: fc.Arbitrary<Intent> = fc.record({
  kind: fc.constant('alloc' as const),
  family: fc.nat({ max: 63 }),
  units: unitsIntentArb,
  id: fc.oneof({ weight: 16, arbitrary: fc.constant<IdPick>('fresh') }, { weight: 3, arbitrary: fc.constant<IdPick>('reuse') }, { weight: 1, arbitrary: fc.constant<IdPick>('live') }),
  r,
  repeat: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 6 }) }),
});

const targetArb: fc.Arbitrary<TargetPick> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<TargetPick>('live') },
  { weight: 6, arbitrary: fc.constant<TargetPick>('recent') },
  { weight: 1, arbitrary: fc.constant<TargetPick>('freed') },
  { weight: 1, arbitrary: fc.constant<TargetPick>('never') },
);

const freeArb: fc.Arbitrary<Intent> = fc.record({ kind: fc.constant('free' as const), target: targetArb, r });

const reallocArb: fc.Arbitrary<Intent> = fc.record({
  kind: fc.constant('realloc' as const),
  target: targetArb,
  r,
  units: unitsIntentArb,
  to: fc.oneof(
    { weight: 5, arbitrary: fc.constant<ToPick>('omit') },
    { weight: 2, arbitrary: fc.constant<ToPick>('same') },
    { weight: 4, arbitrary: fc.constant<ToPick>('fresh') },
    { weight: 2, arbitrary: fc.constant<ToPick>('reuse') },
    { weight: 1, arbitrary: fc.constant<ToPick>('live') },
  ),
});

/** How many variants `badCommand` knows; `bad` intents pick one modulo this. */
export const BAD_VARIANTS = 40;

const badArb: fc.Arbitrary<Intent> = fc.record({ kind: fc.constant('bad' as const), variant: fc.nat({ max: BAD_VARIANTS - 1 }), r });

/** Relative weights of the intent kinds in a command sequence's body. */
export interface IntentWeights {
  readonly register: number;
  readonly alloc: number;
  readonly free: number;
  readonly realloc: number;
  readonly bad: number;
}

/** The default mix: allocs and frees dominate, reallocs are common, malformed commands rare. */
export const DEFAULT_WEIGHTS: IntentWeights = { register: 2, alloc: 44, free: 34, realloc: 12, bad: 5 };

/** One intent of any kind, by `weights` (default `DEFAULT_WEIGHTS`; a weight of 0 leaves that kind out). */
export function intentArb(weights: IntentWeights = DEFAULT_WEIGHTS): fc.Arbitrary<Intent> {
  const parts: fc.WeightedArbitrary<Intent>[] = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<Intent>) => {
    if (weight > 0) parts.push({ weight, arbitrary });
  };
  add(weights.register, registerArb);
  add(weights.alloc, allocArb);
  add(weights.free, freeArb);
  add(weights.realloc, reallocArb);
  add(weights.bad, badArb);
  if (parts.length === 0) throw new Error('intentArb: every weight is 0');
  return fc.oneof(...parts);
}

/** The registrations that open a sequence: 1–4 families (sizes by `sizeIntentArb`). */
export const openingArb: fc.Arbitrary<Intent[]> = fc.array(registerArb, { minLength: 1, maxLength: 4 });
