import type { LoggedFact } from '@lmm/core';
import { factAt } from './factAt.js';
import type { RunFacts } from './runFacts.js';

/** A fact without its `seq`, as two runs' facts are compared. */
export type ComparedFact = Omit<LoggedFact, 'seq'>;

/** Where two runs first differ: the command, and each run's fact there (null past a run's end). */
export interface Divergence {
  readonly cmd: number;
  /** Index of the first differing fact (0-based; seq − 1). */
  readonly index: number;
  readonly a: ComparedFact | null;
  readonly b: ComparedFact | null;
}

function compared(run: RunFacts, i: number): ComparedFact | null {
  if (i >= run.count) return null;
  const { seq: _seq, ...rest } = factAt(run, i);
  return rest;
}

/**
 * The first position at which two fact logs differ, facts compared without `seq` (SPEC §5
 * `diff`), or null when they are equal. `cmd` is the smaller of the two facts' commands.
 * O(facts) until the divergence.
 */
export function firstDivergence(a: RunFacts, b: RunFacts): Divergence | null {
  const n = Math.max(a.count, b.count);
  for (let i = 0; i < n; i++) {
    const fa = compared(a, i);
    const fb = compared(b, i);
    if (fa !== null && fb !== null && JSON.stringify(fa) === JSON.stringify(fb)) continue;
    const cmd = Math.min(fa?.cmd ?? Infinity, fb?.cmd ?? Infinity);
    return { cmd, index: i, a: fa, b: fb };
  }
  return null;
}
