import type { Fact, LoggedFact } from '@lmm/core';
import { diffStates } from './diff.js';
import type { ReplayLog } from '../replay/replayLog.js';
import type { StateChange } from './stateChange.js';

/** Where two fact logs first part: the command, and the two facts at that position (null where a log has ended). */
export interface Divergence {
  readonly cmd: number;
  readonly a: LoggedFact | null;
  readonly b: LoggedFact | null;
}

/** What `compareRuns` found. */
export interface RunComparison {
  /** The first fact position at which the logs differ, or null when they are the same (`seq` aside). */
  readonly firstDivergence: Divergence | null;
  /** The command whose states were compared (each log's own end when it has fewer commands). */
  readonly at: number;
  /** `diffStates` of the two states after command `at`. */
  readonly changes: StateChange[];
}

/** Equality of JSON values: objects by their keys whatever their order, arrays by position. */
export function jsonEqual(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x)) {
    const ya = y as unknown[];
    return x.length === ya.length && x.every((v, i) => jsonEqual(v, ya[i]));
  }
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  const kx = Object.keys(xo).filter((k) => xo[k] !== undefined);
  const ky = Object.keys(yo).filter((k) => yo[k] !== undefined);
  return kx.length === ky.length && kx.every((k) => Object.hasOwn(yo, k) && jsonEqual(xo[k], yo[k]));
}

const logged = (fact: Fact, seq: number, cmd: number): LoggedFact => ({ seq, cmd, ...fact });

/**
 * The first position at which two fact logs differ, comparing facts without `seq` (a fact's
 * `cmd` counts): its command is the smaller of the two facts' commands. Null when the logs
 * hold the same facts. O(facts up to the divergence).
 */
export function firstDivergence(a: ReplayLog, b: ReplayLog): Divergence | null {
  const n = Math.max(a.commands, b.commands);
  let seq = 0;
  for (let c = 1; c <= n; c++) {
    const fa = c <= a.commands ? a.factsOf(c) : [];
    const fb = c <= b.commands ? b.factsOf(c) : [];
    const len = Math.max(fa.length, fb.length);
    for (let i = 0; i < len; i++) {
      const x = fa[i];
      const y = fb[i];
      if (jsonEqual(x, y)) continue; // never when one is missing: a fact is not undefined
      // Past the end of one command's facts, that log's fact here is the next command's first.
      const p = seq + i + 1;
      const ax = x !== undefined ? logged(x, p, c) : firstOf(a, c + 1, p);
      const bx = y !== undefined ? logged(y, p, c) : firstOf(b, c + 1, p);
      return { cmd: Math.min(ax?.cmd ?? Infinity, bx?.cmd ?? Infinity), a: ax, b: bx };
    }
    seq += len;
  }
  return null;
}

function firstOf(log: ReplayLog, cmd: number, seq: number): LoggedFact | null {
  if (cmd > log.commands) return null;
  const f = log.factsOf(cmd)[0];
  return f === undefined ? null : logged(f, seq, cmd);
}

/**
 * Compares two runs' fact logs: where they first part and the structural differences of their
 * states after command `at` (default: the command where they part, or the end when they do
 * not). Each log is taken at `min(at, its length)` when `at` is not given; a given `at` beyond
 * either log is a RangeError.
 */
export function compareRuns(a: ReplayLog, b: ReplayLog, options: { readonly at?: number } = {}): RunComparison {
  const div = firstDivergence(a, b);
  const at = options.at ?? div?.cmd ?? Math.max(a.commands, b.commands);
  const sa = a.seek(options.at === undefined ? Math.min(at, a.commands) : at);
  const sb = b.seek(options.at === undefined ? Math.min(at, b.commands) : at);
  return { firstDivergence: div, at, changes: diffStates(sa, sb) };
}
