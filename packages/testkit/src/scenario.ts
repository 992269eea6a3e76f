import fc from 'fast-check';
import type { Layout, Policy } from '@lmm/core';
import { DEFAULT_WEIGHTS, intentArb, openingArb, type Intent, type IntentWeights } from './intents.js';
import { layoutArb } from './layouts.js';
import { maxPagesArb, policyArb } from './policies.js';
import { resolveIntents } from './resolveIntents.js';

/** The options of a run, in the shape `initialState` takes (every field given). */
export interface RunOptions {
  readonly layout: Layout;
  readonly policy: Policy;
  readonly maxPages: number | null;
}

/** A run to test: heap options and the commands (plain JSON values, some malformed on purpose). */
export interface Scenario {
  readonly options: RunOptions;
  readonly commands: readonly unknown[];
}

/** What `scenarioArb` draws from; every field has a default. */
export interface ScenarioConstraints {
  /** Layouts (default `layoutArb`: named and custom). */
  readonly layout?: fc.Arbitrary<Layout>;
  /** Policies (default all four). */
  readonly policy?: fc.Arbitrary<Policy>;
  /** Page limits (default `maxPagesArb`: mostly none). */
  readonly maxPages?: fc.Arbitrary<number | null>;
  /** Fewest commands after the opening registrations (default 0). */
  readonly minLength?: number;
  /** Most commands after the opening registrations (default 120). */
  readonly maxLength?: number;
  /** The mix of intents (default `DEFAULT_WEIGHTS`). */
  readonly weights?: IntentWeights;
}

/** The intents of a command sequence: 1–4 registrations, then a body of mixed intents. */
export function intentsArb(constraints: Pick<ScenarioConstraints, 'minLength' | 'maxLength' | 'weights'> = {}): fc.Arbitrary<Intent[]> {
  const body = fc.array(intentArb(constraints.weights ?? DEFAULT_WEIGHTS), {
    minLength: constraints.minLength ?? 0,
    maxLength: constraints.maxLength ?? 120,
    size: 'max',
  });
  return fc.tuple(openingArb, body).map(([opening, rest]) => [...opening, ...rest]);
}

/** Commands for a heap of `layout`: `intentsArb` resolved by `resolveIntents`. */
export function commandsArb(layout: Layout, constraints: Pick<ScenarioConstraints, 'minLength' | 'maxLength' | 'weights'> = {}): fc.Arbitrary<unknown[]> {
  return intentsArb(constraints).map((intents) => resolveIntents(layout, intents));
}

/**
 * A whole scenario: layout, policy, page limit and a command sequence realistic enough to
 * reach every path of SPEC §1 (large blocks, all fragmentation kinds, merges both ways,
 * page releases, reallocs with and without `to`, every rejection code). Shrinks well: the
 * intents shrink, and the commands are resolved again from them.
 */
export function scenarioArb(constraints: ScenarioConstraints = {}): fc.Arbitrary<Scenario> {
  return fc
    .record({
      layout: constraints.layout ?? layoutArb,
      policy: constraints.policy ?? policyArb,
      maxPages: constraints.maxPages ?? maxPagesArb,
      intents: intentsArb(constraints),
    })
    .map(({ layout, policy, maxPages, intents }): Scenario => ({ options: { layout, policy, maxPages }, commands: resolveIntents(layout, intents) }));
}
