// @ts-check
// StrykerJS mutation testing (`pnpm mutate`, see scripts/mutate.mjs): mutates one package's
// sources (or some of its files) and runs the tests that cover them, in the sandbox that
// vitest.stryker.config.ts sets up. The environment says what to mutate and where the
// reports go (scripts/mutate.mjs sets it):
// - LMM_MUTATE: the package (core, replay or cli);
// - LMM_MUTATE_FILES: its source files to mutate, comma-separated names without `.ts`
//   (default: all of them);
// - LMM_MUTATE_OUT: the report directory, which also holds the incremental file: a rerun
//   tests only the mutants whose code or tests changed.
const PACKAGE = process.env.LMM_MUTATE ?? 'core';
const FILES = (process.env.LMM_MUTATE_FILES ?? '').split(',').filter((f) => f !== '');

/** The test files run against each package's mutants. */
const TESTS = {
  core: ['packages/core/test/**/*.test.ts'],
  replay: ['packages/replay/test/**/*.test.ts'],
  // The CLI's own tests run its commands in process (runCli). A test that spawns `lmm` runs
  // the built dist/ and cannot see a mutant; the tests in test/ listed here run `lmm` in
  // process (packages/cli/test/lmmInProcess.ts), all but the parts that need a process of
  // their own (standard input, an output named -, signals, memory limits, compare's workers).
  cli: [
    'packages/cli/test/**/*.test.ts',
    'test/badLogs.test.ts',
    'test/cli-replay.test.ts',
    'test/cli-seek.test.ts',
    'test/compare.cli.test.ts',
    'test/determinism.test.ts',
    'test/holes.test.ts',
    'test/peaks.cli.test.ts',
    'test/policySwitch.cli.test.ts',
    'test/scenariosAsWritten.test.ts',
  ],
};
if (!(PACKAGE in TESTS)) throw new Error(`LMM_MUTATE=${PACKAGE}: expected one of ${Object.keys(TESTS).join(', ')}`);
const OUT = process.env.LMM_MUTATE_OUT ?? `reports/stryker/${PACKAGE}/all`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  mutate: FILES.length === 0 ? [`packages/${PACKAGE}/src/**/*.ts`, `!packages/${PACKAGE}/src/index.ts`] : FILES.map((f) => `packages/${PACKAGE}/src/${f}.ts`),
  testFiles: TESTS[/** @type {keyof typeof TESTS} */ (PACKAGE)],
  coverageAnalysis: 'perTest',
  // Mutants that run only while modules load (constant tables such as LAYOUTS) would need
  // every test re-run in a fresh module graph each; they are reported as Ignored.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `${OUT}/incremental.json`,
  concurrency: Number(process.env.LMM_MUTATE_CONCURRENCY ?? 2),
  // The machine is shared: a mutant counts as timed out only well past its tests' time.
  timeoutFactor: 2.5,
  timeoutMS: 30_000,
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `${OUT}/index.html` },
  jsonReporter: { fileName: `${OUT}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  // bench/ stays in the sandbox: test/holes.test.ts and test/cli-seek.test.ts generate their
  // traces with bench/genTrace.ts (left out, those two files could not load and ran no test).
  ignorePatterns: ['reports', 'docs', 'coverage', '.tmp', 'test-results', 'examples'],
};
