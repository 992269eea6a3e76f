/**
 * The engine under fuzzing and against a model (see reliabilityProperties.ts): `step` on
 * anything a trace can hold never throws, keeps the invariants, changes nothing when it
 * rejects and writes facts it can read back; the RxJS engine agrees with a simple model
 * command by command. `pnpm fuzz --runs N` runs the same properties longer.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { engineProperties } from './reliabilityProperties.js';
import { propertyRuns } from '@lmm/testkit';

describe('the engine on hostile and random commands', () => {
  for (const { name, property, runs } of engineProperties()) {
    it(`${name} (${propertyRuns(runs)} runs)`, async () => {
      await fc.assert(property, { numRuns: propertyRuns(runs), timeout: 10_000 });
    }, 60_000);
  }
});
