/**
 * Fuzzing every reader (see fuzzProperties.ts): on any input, a result or an InputError
 * naming the file, never another exception, never a hang. The suite runs each property a
 * few hundred to a few thousand times (scaled by `propertyRuns`); `pnpm fuzz` runs the same
 * ones ten times longer or more.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { HANG_MS, readerProperties } from './fuzzProperties.js';
import { propertyRuns } from '@lmm/testkit';

const dir = mkdtempSync(join(tmpdir(), 'lmm-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readers raise only InputErrors', () => {
  for (const { name, property, runs } of readerProperties(dir)) {
    it(`${name} (${propertyRuns(runs)} runs)`, async () => {
      await fc.assert(property, { numRuns: propertyRuns(runs), timeout: HANG_MS });
    }, 60_000);
  }
});
