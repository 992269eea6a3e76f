import type { LoggedFact } from '@lmm/core';
import { FRAG_SHIFT, FRAGS, FROM_BIT, KIND_NAMES, REALLOC_BIT, type RunFacts } from './runFacts.js';

/** Fact `i` rebuilt exactly as its log line had it (keys in log order, `seq` = i + 1). */
export function factAt(run: RunFacts, i: number): LoggedFact {
  const k = run.kind[i]!;
  const seq = i + 1;
  const cmd = run.cmd[i]!;
  const family = run.families[run.fam[i]!]!;
  const page = run.page[i]!;
  const realloc = (k & REALLOC_BIT) !== 0 ? ({ realloc: true } as const) : {};
  switch (KIND_NAMES[k & 7]) {
    case 'Registered':
      return { seq, cmd, type: 'Registered', family, size: run.size[i]! };
    case 'PageRequest':
      return { seq, cmd, type: 'PageRequest', family, page, count: run.units[i]! };
    case 'PageRelease':
      return { seq, cmd, type: 'PageRelease', family, page, count: run.units[i]! };
    case 'Allocated': {
      const from = (k & FROM_BIT) !== 0 ? { from: run.ids.get(run.from[i]!) } : {};
      const frag = FRAGS[(k >> FRAG_SHIFT) & 3]!;
      return { seq, cmd, type: 'Allocated', id: run.ids.get(run.id[i]!), family, page, offset: run.off[i]!, size: run.size[i]!, units: run.units[i]!, frag, gap: run.gap[i]!, ...realloc, ...from };
    }
    case 'Freed':
      return { seq, cmd, type: 'Freed', id: run.ids.get(run.id[i]!), family, page, offset: run.off[i]!, size: run.size[i]!, merged: { offset: run.moff[i]!, size: run.msize[i]! }, ...realloc };
    case 'Rejected': {
      const r = run.rejections[run.id[i]!]!;
      return { seq, cmd, type: 'Rejected', command: r.command, code: r.code, message: r.message };
    }
    default:
      throw new Error(`viewer payload: unknown fact kind ${k}`);
  }
}
