// Vitest setup file (vitest.config.ts): every fast-check property of the suite replays the
// seed and path in LMM_SEED / LMM_PATH when they are set, and a failing one ends its message
// with the line that replays it (testkit's configurePropertyReplay).
import { relative } from 'node:path';
import { expect } from 'vitest';
import { configurePropertyReplay, REPO_ROOT } from '@lmm/testkit';

configurePropertyReplay(() => {
  const { testPath, currentTestName } = expect.getState();
  if (testPath === undefined || currentTestName === undefined) return undefined;
  // vitest names a test `describe > it`; -t matches the name as the describe blocks and the test joined by spaces.
  return { file: relative(REPO_ROOT, testPath), test: currentTestName.split(' > ').join(' ') };
});
