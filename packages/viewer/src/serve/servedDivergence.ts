import type { LoggedFact } from '@lmm/core';
import { jsonEqual } from '@lmm/replay';
import type { ComparedFact, Divergence } from '../model/divergence.js';
import type { RunSource } from './runSource.js';

/** A run's facts one at a time, in log order. */
async function* factsOf(run: RunSource): AsyncGenerator<LoggedFact> {
  for await (const stretch of run.commandsFrom(1)) for (const c of stretch) yield* c.facts;
}

const compared = (f: LoggedFact | undefined): ComparedFact | null => {
  if (f === undefined) return null;
  const { seq: _seq, ...rest } = f;
  return rest;
};

/**
 * Where two served runs first differ, as `firstDivergence` finds it for a self-contained page
 * (facts compared position by position without `seq`; `cmd` is the smaller of the two facts'
 * commands), or null when their facts are equal. Reads both runs up to the divergence.
 */
export async function servedDivergence(a: RunSource, b: RunSource): Promise<Divergence | null> {
  const ia = factsOf(a);
  const ib = factsOf(b);
  try {
    for (let index = 0; ; index++) {
      const [x, y] = await Promise.all([ia.next(), ib.next()]);
      if (x.done === true && y.done === true) return null;
      const fa = compared(x.done === true ? undefined : x.value);
      const fb = compared(y.done === true ? undefined : y.value);
      if (fa !== null && fb !== null && jsonEqual(fa, fb)) continue;
      return { cmd: Math.min(fa?.cmd ?? Infinity, fb?.cmd ?? Infinity), index, a: fa, b: fb };
    }
  } finally {
    await Promise.all([ia.return(undefined), ib.return(undefined)]);
  }
}
