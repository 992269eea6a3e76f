import type { LoggedFact } from '@lmm/core';
import type { EventAnswer, EventKind } from '../model/servedApi.js';
import type { RunSource } from './runSource.js';

/** Options of `findEvent`. */
export interface FindEventOptions {
  /** Give up after about this long, answering how far the search got (default 3000 ms). */
  readonly budgetMs?: number;
  /** Commands in the first stretch read backwards; each next one is twice as long (default 4096). */
  readonly firstStretch?: number;
}

const isEvent = (kind: EventKind) => (f: LoggedFact): boolean => (kind === 'any' ? f.type === 'PageRequest' || f.type === 'PageRelease' || f.type === 'Rejected' : f.type === kind);

/**
 * The nearest command after (`dir` 1) or before (−1) command `cmd` with a fact of kind `kind`,
 * read from the log: forwards, the commands from `cmd + 1` on; backwards, stretches before
 * `cmd`, each read front to back and twice as long as the one after it. Stops when its time
 * runs out (`searched` then says where it got to), so a page never waits long for a run
 * without such events. Memory: a chunk of the log.
 */
export async function findEvent(log: Pick<RunSource, 'commands' | 'commandsFrom'>, cmd: number, kind: EventKind, dir: 1 | -1, options: FindEventOptions = {}): Promise<EventAnswer> {
  const stop = performance.now() + (options.budgetMs ?? 3000);
  const match = isEvent(kind);
  if (dir > 0) {
    let searched = cmd;
    if (cmd >= log.commands) return { cmd: null, searched: log.commands };
    for await (const batch of log.commandsFrom(cmd + 1)) {
      for (const c of batch) {
        if (c.facts.some(match)) return { cmd: c.cmd, searched: c.cmd };
        searched = c.cmd;
      }
      if (performance.now() > stop && searched < log.commands) return { cmd: null, searched };
    }
    return { cmd: null, searched: log.commands };
  }
  let hi = Math.min(cmd, log.commands + 1) - 1;
  let stretch = options.firstStretch ?? 4096;
  while (hi >= 1) {
    const lo = Math.max(1, hi - stretch + 1);
    let found: number | null = null;
    for await (const batch of log.commandsFrom(lo, hi)) for (const c of batch) if (c.facts.some(match)) found = c.cmd;
    if (found !== null) return { cmd: found, searched: found };
    hi = lo - 1;
    stretch *= 2;
    if (performance.now() > stop && hi >= 1) return { cmd: null, searched: lo };
  }
  return { cmd: null, searched: 0 };
}
