/** Helpers for the viewer's tests: runs as logged facts, logs on disk, encoded runs. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fact, LoggedFact } from '@lmm/core';
import { factLine, headerLine, makeHeader, type LogHeader } from '@lmm/replay';
import { runCommands, type RunResult, type Scenario } from '@lmm/testkit';
import { decodeRun, FactEncoder, type RunFacts } from '../src/factCodec';

/** A scenario run: its header, every fact as logged, and the core's run (states after each command). */
export interface LoggedRun {
  readonly header: LogHeader;
  readonly facts: readonly LoggedFact[];
  readonly run: RunResult;
}

/** Runs a scenario through the core and numbers its facts as a fact log does. */
export function logScenario(s: Scenario): LoggedRun {
  const run = runCommands(s.options, s.commands);
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
