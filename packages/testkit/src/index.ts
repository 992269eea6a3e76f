/**
 * @lmm/testkit — shared fast-check arbitraries (layouts, also at and beyond their bounds;
 * policies; page limits; realistic command sequences built from abstract intents; single
 * edits of a fact log) and helpers (running commands, counting which paths of SPEC §1 the
 * runs reached, the naive reference model of SPEC §1 and its peaks, the SPEC §2 checks of a
 * state dump, replaying a failing property) for the lmm test suites.
 */
export { namedLayoutArb, customLayoutArb, layoutArb, layoutEdgeArb, layoutIsValid } from './layouts.js';
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
export type { PropertyReplay } from './propertyReplay.js';
export { propertyReplay, replayHint, configurePropertyReplay } from './propertyReplay.js';
export type { ModelFact, NaivePeak } from './naiveModel.js';
export { NaiveHeap, naivePeak } from './naiveModel.js';
export type { CmdFact, FactMutation, MutatedLog } from './factMutation.js';
export { factMutationArb, mutateFacts, numericFields } from './factMutation.js';
export { dumpProblems, dumpIds, dumpPages } from './dumpChecks.js';
export type { FactArbOptions } from './factArb.js';
export { factArb, factStringArb, factIntArb } from './factArb.js';
