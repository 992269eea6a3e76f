/** Helpers for the viewer's tests: runs as logged facts, logs on disk, encoded runs. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpJson, initialState, type Fact, type LoggedFact } from '@lmm/core';
import { factLine, headerLine, makeHeader, type LogHeader } from '@lmm/replay';
import { from } from 'rxjs';
import { runCommands, type SourcedCommand } from '@lmm/events';
import { runCommands as runScenario, xorshift, type RunOptions, type RunResult, type Scenario } from '@lmm/testkit';
import { decodeRun } from '../src/model/decodeRun.js';
import { FactEncoder } from '../src/node/factEncoder.js';
import type { RunFacts } from '../src/model/runFacts.js';
import { RunLoader, type LoadedRun } from '../src/node/loadRun.js';

/** A scenario run: its header, every fact as logged, and the core's run (states after each command). */
export interface LoggedRun {
  readonly header: LogHeader;
  readonly facts: readonly LoggedFact[];
  readonly run: RunResult;
}

/** Runs a scenario through the core and numbers its facts as a fact log does. */
export function logScenario(s: Scenario): LoggedRun {
  const run = runScenario(s.options, s.commands);
  const facts: LoggedFact[] = [];
  run.facts.forEach((fs, i) => fs.forEach((f) => facts.push({ ...f, seq: facts.length + 1, cmd: i + 1 })));
  return { header: makeHeader(s.options.layout, s.options.policy, s.options.maxPages), facts, run };
}

/** The log's text: header line, then one line per fact. */
export function logText(r: Pick<LoggedRun, 'header' | 'facts'>): string {
  return [headerLine(r.header), ...r.facts.map(lineOf)].join('\n') + '\n';
}

/** Encodes and decodes a logged run, as the page gets it. */
export function encoded(r: Pick<LoggedRun, 'header' | 'facts'>): RunFacts {
  const enc = new FactEncoder(r.header);
  for (const f of r.facts) enc.add(f);
  return decodeRun(enc.finish());
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lmm-viewer-'));
}

/** Writes a logged run as a fact log file and returns its path. */
export function writeLog(dir: string, name: string, r: Pick<LoggedRun, 'header' | 'facts'>): string {
  const path = join(dir, name);
  writeFileSync(path, logText(r));
  return path;
}

/** A logged fact's log line (factLine takes the fact without its numbers). */
export function lineOf(f: LoggedFact): string {
  const { seq, cmd, ...fact } = f;
  return factLine(seq, cmd, fact as Fact);
}

/** The family whose name tries markup: the page must show it as text and run nothing. */
export const XSS_FAMILY = '<img/src=x/onerror=alert(1)>';
/** An id that tries to close the page's script. */
export const XSS_ID = '</script><script>window.__pwned=1</script>';

/**
 * A deterministic synthetic trace of `count` commands (seeded xorshift): four families (one
 * named like markup), mostly small allocations, some multi-unit and rare large ones, frees
 * of random live ids, reallocs, and now and then a bad free (a rejection). Holds about
 * `live` blocks.
 */
export function syntheticCommands(count: number, live = 300, seed = 7): unknown[] {
  const rnd = xorshift(seed);
  const families: [string, number][] = [
    ['emp_t', 36],
    ['student_t', 56],
    [XSS_FAMILY, 24],
    ['buf_t', 200],
  ];
  const out: unknown[] = families.map(([family, size]) => ({ op: 'register', family, size }));
  const ids: string[] = [];
  let next = 0;
  while (out.length < count) {
    const r = rnd();
    if (ids.length < live ? r < 0.8 : r < 0.45) {
      const [family] = families[Math.floor(rnd() * families.length)]!;
      const u = rnd();
      const units = u < 0.8 ? 1 : u < 0.985 ? 1 + Math.floor(rnd() * 8) : 100 + Math.floor(rnd() * 200);
      const id = next === 5 ? XSS_ID : `b${next}`;
      next++;
      ids.push(id);
      out.push({ op: 'alloc', id, family, units });
    } else if (ids.length > 0 && r < 0.95) {
      const k = Math.floor(rnd() * ids.length);
      const id = ids[k]!;
      ids[k] = ids[ids.length - 1]!;
      ids.pop();
      out.push({ op: 'free', id });
    } else if (ids.length > 0 && r < 0.99) {
      const k = Math.floor(rnd() * ids.length);
      const to = `b${next++}`;
      const from = ids[k]!;
      ids[k] = to;
      out.push({ op: 'realloc', id: from, units: 1 + Math.floor(rnd() * 4), to });
    } else {
      out.push({ op: 'free', id: `never${next}` });
    }
  }
  return out;
}

/**
 * Runs commands through the core `Engine` (fast: no snapshot per command) straight into the
 * viewer's loader, as if from a fact log named `name`; returns the loaded run and the core's
 * state dumps after the commands in `dumpAt`.
 */
export function loadCommands(name: string, commands: readonly unknown[], options: RunOptions, dumpAt: Iterable<number>): { loaded: LoadedRun; dumps: Map<number, string> } {
  const want = new Set(dumpAt);
  const dumps = new Map<number, string>();
  const initial = initialState(options);
  const loader = new RunLoader(name, makeHeader(options.layout, options.policy, options.maxPages));
  if (want.has(0)) dumps.set(0, dumpJson(initial));
  // One batch up to each command whose state is wanted, so the batch ends there.
  const batches: SourcedCommand[][] = [[]];
  commands.forEach((command, i) => {
    batches[batches.length - 1]!.push({ command, line: 0 });
    if (want.has(i + 1)) batches.push([]);
  });
  from(batches)
    .pipe(runCommands(initial))
    .subscribe((b) => {
      loader.next(b);
      const end = b.first + b.count - 1;
      if (want.has(end)) dumps.set(end, dumpJson(b.snapshot()));
    });
  return { loaded: loader.finish(), dumps };
}
