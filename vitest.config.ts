import { availableParallelism } from 'node:os';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run the packages' TypeScript sources: the `lmm-source` export condition of every
// @lmm package points at src/index.ts (without it, an import resolves to the built dist/).
export default defineConfig({
  resolve: { conditions: ['lmm-source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['lmm-source', ...defaultServerConditions] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // fast-check: LMM_SEED / LMM_PATH replay a failure; a failure prints the line that does.
    setupFiles: ['test/setupProperties.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: one worker on a two-core CI machine.
    // The tests wait on child processes (lmm, chromium, tsc) much of the time; two workers
    // there halve the suite's wall time.
    maxWorkers: Math.max(2, availableParallelism()),
    // A worker runs its test files one after another in one module graph: importing the
    // packages' sources again for every file cost about 40% of the suite's CPU time. The
    // tests keep no state between files (each makes its own temporary directory).
    isolate: false,
  },
});
