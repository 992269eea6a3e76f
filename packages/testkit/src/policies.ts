import fc from 'fast-check';
import { POLICIES, type Policy } from '@lmm/core';

/** One of the four policies of SPEC §1, equally likely. */
export const policyArb: fc.Arbitrary<Policy> = fc.constantFrom(...POLICIES);

/** A page limit: mostly none (null), sometimes a small number of pages (1–12) so `E_OUT_OF_MEMORY` happens. */
export const maxPagesArb: fc.Arbitrary<number | null> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }) },
);
