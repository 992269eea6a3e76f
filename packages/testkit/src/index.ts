/**
 * @lmm/testkit — shared fast-check arbitraries (layouts, policies, page limits, realistic
 * command sequences built from abstract intents) and helpers (running commands, counting
 * which paths of SPEC §1 the runs reached) for the lmm test suites.
 */
export { namedLayoutArb, customLayoutArb, layoutArb } from './layouts.js';
export { policyArb, maxPagesArb } from './policies.js';
export type { SizeBand, SizeIntent, UnitsBand, UnitsIntent, IdPick, TargetPick, ToPick, Intent, IntentWeights } from './intents.js';
export { sizeIntentArb, unitsIntentArb, intentArb, openingArb, DEFAULT_WEIGHTS, BAD_VARIANTS } from './intents.js';
export type { BadContext } from './badCommand.js';
export { badCommand } from './badCommand.js';
export { resolveIntents, familySize, unitsFor } from './resolveIntents.js';
export type { RunOptions, Scenario, ScenarioConstraints } from './scenario.js';
export { intentsArb, commandsArb, scenarioArb } from './scenario.js';
export type { RunResult } from './runCommands.js';
export { runCommands } from './runCommands.js';
export { commandCategories, Coverage } from './categories.js';
export { fingerprint, liveIds } from './fingerprint.js';
export { xorshift } from './xorshift.js';
export type { LmmOptions, LmmResult, LmmRun } from './cli.js';
export { LMM_BIN, REPO_ROOT, lmmSync, lmmStart, lmmAsync } from './cli.js';
export { propertyRuns, propertyScale } from './propertyRuns.js';
export type { FactArbOptions } from './factArb.js';
export { factArb, factStringArb, factIntArb } from './factArb.js';
