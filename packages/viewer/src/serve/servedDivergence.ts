import type { LoggedFact } from '@lmm/core';
import { firstLogDivergence, jsonEqual } from '@lmm/replay';
import type { ComparedFact, Divergence } from '../model/divergence.js';
import type { RunSource } from './runSource.js';
import { SeekableRunSource } from './seekableRunSource.js';

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
 * commands), or null when their facts are equal. Reads both runs up to the divergence; two
 * logs read through their indexes are compared byte by byte first (`firstLogDivergence`), and
 * parsed only from shortly before the first byte that differs.
 */
export async function servedDivergence(a: RunSource, b: RunSource): Promise<Divergence | null> {
  if (a instanceof SeekableRunSource && b instanceof SeekableRunSource) {
    const d = await firstLogDivergence(a.log, b.log);
    if (d === null) return null;
    const at = (d.a ?? d.b)!;
    return { cmd: d.cmd, index: at.seq - 1, a: compared(d.a ?? undefined), b: compared(d.b ?? undefined) };
  }
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
