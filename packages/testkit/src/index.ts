/**
 * @lmm/testkit — shared fast-check arbitraries (layouts, policies, page limits, realistic
 * command sequences built from abstract intents) and helpers (running commands, counting
 * which paths of SPEC §1 the runs reached) for the lmm test suites.
 */
export { namedLayoutArb, customLayoutArb, layoutArb } from './layouts';
export { policyArb, maxPagesArb } from './policies';
export type { SizeBand, SizeIntent, UnitsBand, UnitsIntent, IdPick, TargetPick, ToPick, Intent, IntentWeights } from './intents';
export { sizeIntentArb, unitsIntentArb, intentArb, openingArb, DEFAULT_WEIGHTS, BAD_VARIANTS } from './intents';
export type { BadContext } from './badCommand';
export { badCommand } from './badCommand';
export { resolveIntents, familySize, unitsFor } from './resolveIntents';
export type { RunOptions, Scenario, ScenarioConstraints } from './scenario';
export { intentsArb, commandsArb, scenarioArb } from './scenario';
export type { RunResult } from './runCommands';
export { runCommands } from './runCommands';
export { commandCategories, Coverage } from './categories';
export { fingerprint, liveIds } from './fingerprint';
export { xorshift } from './xorshift';
