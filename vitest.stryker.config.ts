import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The vitest config StrykerJS runs the tests with (`pnpm mutate`, see stryker.config.mjs).
// Stryker copies the repository into a sandbox under .stryker-tmp/ and mutates the copy;
// the sandbox's node_modules is a link to the real one, whose @lmm/* links lead back to the
// unmutated packages/. These aliases send every @lmm/* import to the sandbox's own sources,
// so the tests exercise the mutated code.
const PACKAGES = ['cli', 'collections', 'core', 'events', 'replay', 'testkit', 'viewer'];

/** Property and fuzz test files: the slow ones, run after the example tests. */
const SLOW = /\.property\.test\.ts$|reliability|fuzz/i;

/**
 * Runs example tests before property tests. Stryker stops a mutant's run at the first
 * failing test, and most mutants fail an example test in milliseconds, so a mutant reaches
 * the property tests (seconds each) only when the examples let it through.
 */
class FastFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => (SLOW.test(f.moduleId) ? 1 : 0);
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default mergeConfig(base, {
  resolve: {
    alias: PACKAGES.map((name) => ({
      find: new RegExp(`^@lmm/${name}$`),
      replacement: fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
    })),
  },
  test: {
    sequence: { sequencer: FastFirst },
    // Every CLI command module loaded before the tests (see test/strykerPreload.ts).
    // mergeConfig appends it to the base config's setup files.
    setupFiles: ['test/strykerPreload.ts'],
  },
});
