import { open, type FileHandle } from 'node:fs/promises';
import type { LoggedFact } from '@lmm/core';
import type { LoggedCommand } from '@lmm/events';
import type { SeekableLog } from '../seek/seekableLog.js';
import { jsonEqual, type Divergence, type RunComparison } from './compareRuns.js';
import { diffStates } from './diff.js';

/** Bytes compared at a time while looking for the first byte where two logs differ. */
const COMPARE_BYTES = 1 << 20;

/**
 * How many bytes from `a`'s byte `fromA` on and `b`'s byte `fromB` on are the same, up to the
 * end of the shorter; two chunks of the files in memory at a time.
 */
async function sameBytes(pathA: string, fromA: number, pathB: string, fromB: number): Promise<number> {
  const handles: FileHandle[] = [];
  try {
    handles.push(await open(pathA, 'r'));
    handles.push(await open(pathB, 'r'));
    const [ha, hb] = handles as [FileHandle, FileHandle];
    const bufA = Buffer.allocUnsafe(COMPARE_BYTES);
    const bufB = Buffer.allocUnsafe(COMPARE_BYTES);
    let same = 0;
    for (;;) {
      const [ra, rb] = await Promise.all([ha.read(bufA, 0, COMPARE_BYTES, fromA + same), hb.read(bufB, 0, COMPARE_BYTES, fromB + same)]);
      const n = Math.min(ra.bytesRead, rb.bytesRead);
      if (n === 0) return same;
      if (bufA.compare(bufB, 0, n, 0, n) === 0) {
        same += n;
        continue;
      }
      let i = 0;
      while (bufA[i] === bufB[i]) i++;
      return same + i;
    }
  } finally {
    for (const h of handles) await h.close();
  }
}

/** Reads a log's commands one at a time from a stream of batches. */
class CommandCursor {
  private batch: readonly LoggedCommand[] = [];
  private i = 0;
  constructor(private readonly source: AsyncGenerator<LoggedCommand[]>) {}

  async next(): Promise<LoggedCommand | undefined> {
    while (this.i >= this.batch.length) {
      const r = await this.source.next();
      if (r.done) return undefined;
      this.batch = r.value;
      this.i = 0;
    }
    return this.batch[this.i++];
  }

  async close(): Promise<void> {
    await this.source.return(undefined);
  }
}

const own = (f: unknown) => {
  const { seq: _s, cmd: _c, ...fact } = f as LoggedFact;
  return fact;
};
const logged = (fact: unknown, seq: number, cmd: number): LoggedFact => ({ seq, cmd, ...own(fact) }) as LoggedFact;

/**
 * The first position at which two fact logs differ, as `firstDivergence` finds it (facts
 * compared without `seq`; its command is the smaller of the two facts' commands; null when the
 * logs hold the same facts), reading both logs as streams: the bytes after both headers are
 * compared first, and facts are parsed only from the offsets-table entry before the first
 * byte that differs. Memory: a chunk of each log.
 */
export async function firstLogDivergence(a: SeekableLog, b: SeekableLog): Promise<Divergence | null> {
  const same = await sameBytes(a.path, a.headerEnd, b.path, b.headerEnd);
  const k = Math.min(a.commandAtOrBefore(a.headerEnd + same), b.commandAtOrBefore(b.headerEnd + same));
  const n = Math.max(a.commands, b.commands);
  const ca = new CommandCursor(a.commandsFrom(Math.min(k, a.commands + 1)));
  const cb = new CommandCursor(b.commandsFrom(Math.min(k, b.commands + 1)));
  try {
    let na = k <= a.commands ? await ca.next() : undefined;
    let nb = k <= b.commands ? await cb.next() : undefined;
    // Positions before command k: the logs are the same up to there, so either one's seq tells.
    let seq = ((na?.facts[0] as LoggedFact | undefined)?.seq ?? (nb?.facts[0] as LoggedFact | undefined)?.seq ?? 1) - 1;
    for (let c = k; c <= n; c++) {
      const fa = na?.cmd === c ? na.facts : [];
      const fb = nb?.cmd === c ? nb.facts : [];
      if (na?.cmd === c) na = await ca.next();
      if (nb?.cmd === c) nb = await cb.next();
      const len = Math.max(fa.length, fb.length);
      for (let i = 0; i < len; i++) {
        const x = fa[i];
        const y = fb[i];
        if (x !== undefined && y !== undefined && jsonEqual(own(x), own(y))) continue;
        // Past the end of one command's facts, that log's fact here is the next command's first.
        const p = seq + i + 1;
        const ax = x !== undefined ? logged(x, p, c) : na?.facts[0] !== undefined ? logged(na.facts[0], p, c + 1) : null;
        const bx = y !== undefined ? logged(y, p, c) : nb?.facts[0] !== undefined ? logged(nb.facts[0], p, c + 1) : null;
        return { cmd: Math.min(ax?.cmd ?? Infinity, bx?.cmd ?? Infinity), a: ax, b: bx };
      }
      seq += len;
    }
    return null;
  } finally {
    await ca.close();
    await cb.close();
  }
}

/**
 * `compareRuns` for two seekable logs: where they first part (`firstLogDivergence`) and
 * `diffStates` of their states after command `at` (default: where they part, or the end when
 * they do not; each log at most at its own end), each read from a checkpoint. A given `at`
 * beyond either log is a RangeError. Memory: two states and a chunk of each log.
 */
export async function compareLogs(a: SeekableLog, b: SeekableLog, options: { readonly at?: number } = {}): Promise<RunComparison> {
  const div = await firstLogDivergence(a, b);
  const at = options.at ?? div?.cmd ?? Math.max(a.commands, b.commands);
  const sa = await a.seek(options.at === undefined ? Math.min(at, a.commands) : at);
  const sb = await b.seek(options.at === undefined ? Math.min(at, b.commands) : at);
  return { firstDivergence: div, at, changes: diffStates(sa, sb) };
}
