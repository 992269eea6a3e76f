import { defer, type OperatorFunction } from 'rxjs';
import { Engine, initialState, policyAfter, type Fact, type HeapState, type Policy } from '@lmm/core';
import { cutsEvery, runBatches, type FactBatch, type LoggedCommand, type RunBatch } from '@lmm/events';
import { preview } from '../formats/commandTrace.js';
import type { LogHeader } from '../formats/factLog.js';
import { InputError } from '../formats/inputError.js';
import { commandUnitProblem } from './commandUnit.js';

/** Options of `foldFactLog`. */
export interface FoldFactLogOptions {
  /** Also end a `RunBatch` after every multiple of each of these command counts. */
  readonly cutEvery?: readonly number[];
  /** Also end a `RunBatch` after every command this is true for (e.g. a checkpoint falling due). */
  readonly cutAt?: (cmd: number) => boolean;
  /**
   * Fold from this state instead of the header's empty heap: the state after command
   * `start.cmd` of the same log (e.g. a checkpoint), whose commands after it come next.
   */
  readonly start?: { readonly cmd: number; readonly state: HeapState };
}

/**
 * Folds a fact log's commands (SPEC §2 inv. 10) on one `Engine`, as `runCommands` runs a
 * trace, and emits the same `RunBatch`es. This is the one place that decides whether a fact
 * log is acceptable; each command, in order:
 * - its number is the next one (no command skipped or repeated);
 * - its facts form one whole command of SPEC §1 (`commandUnitProblem`);
 * - they are exactly what `decide` gives for the command they imply (register, alloc, free or
 *   realloc, read off the facts; a Rejected fact's own `command`, which decide must reject
 *   with the same code) under the header's layout, page limit and policy (with its switch),
 *   compared as JSON values whatever the keys' order, `seq` and `cmd` aside.
 * So no log folds into a state that commands could not produce, and `show`, `stats`, `diff`,
 * `view` and replay accept and refuse the same logs. What fails is an InputError naming the
 * file and the line of the fact at fault. The facts emitted are decide's (equal to the log's).
 */
export function foldFactLog(header: LogHeader, file: string, options: FoldFactLogOptions = {}): OperatorFunction<FactBatch, RunBatch> {
  const change = header.switch;
  const cut = cutsEvery(options.cutEvery, (cmd) => (change !== undefined && cmd === change.cmd) || (options.cutAt?.(cmd) ?? false));
  const from = options.start;
  return (batches) =>
    defer(() => {
      const firstCmd = (from?.cmd ?? 0) + 1;
      const engine = new Engine(from?.state ?? initialState({ layout: header.layout, policy: header.policy, maxPages: header.maxPages }));
      engine.setPolicy(policyAfter(header.policy, change, firstCmd - 1));
      let expected = firstCmd;
      return batches.pipe(
        runBatches<LoggedCommand>(
          engine,
          (lc) => {
            if (lc.cmd !== expected) {
              throw new InputError(file, lc.lines[0] ?? 0, lc.cmd < expected ? `fact of command ${lc.cmd} after command ${expected - 1} ended` : `fact cmd ${lc.cmd} skips command ${expected} (every command has at least one fact)`);
            }
            expected++;
            const facts = checkedCommand(engine, lc, file, policyAfter(header.policy, change, lc.cmd - 1));
            if (change !== undefined && lc.cmd === change.cmd) engine.setPolicy(change.policy);
            return facts;
          },
          (lc) => lc.lines[0] ?? 0,
          cut,
          firstCmd,
        ),
      );
    });
}

/** Runs the command `lc`'s facts imply on `engine` and returns decide's facts, or throws the InputError of the first fact that differs. */
function checkedCommand(engine: Engine, lc: LoggedCommand, file: string, policy: Policy): readonly Fact[] {
  const { cmd, facts, lines } = lc;
  const lineAt = (i: number) => lines[Math.min(i, lines.length - 1)] ?? 0;
  const unit = commandUnitProblem(facts);
  if (unit) throw new InputError(file, lineAt(unit.index), `command ${cmd}: ${unit.reason}`);
  const command = impliedCommand(facts);
  const decided = engine.execute(command);
  const what = (): string => describeCommand(command);
  const first = facts[0]!;
  if (first.type === 'Rejected') {
    const d = decided[0]!;
    if (decided.length === 1 && d.type === 'Rejected' && d.code === first.code) return decided;
    const got = d.type === 'Rejected' ? `rejects it with ${d.code}` : `does not reject it (${decided.map((f) => f.type).join(', ')})`;
    throw new InputError(file, lineAt(0), `command ${cmd}: the log rejects ${what()} with ${first.code}, but ${policy} ${got}`);
  }
  const listed = (fs: readonly Fact[]) => fs.map(factName).join(', ');
  for (let i = 0; i < Math.max(facts.length, decided.length); i++) {
    const logged = facts[i];
    const made = decided[i];
    if (logged === undefined || made === undefined || logged.type !== made.type) {
      throw new InputError(file, lineAt(i), `command ${cmd}: the log has ${listed(facts)} where ${policy} gives ${listed(decided)} for ${what()}`);
    }
    const field = differingField(logged, made);
    if (field !== undefined) {
      const value = (f: Fact) => preview(JSON.stringify((f as unknown as Record<string, unknown>)[field]) ?? 'nothing');
      throw new InputError(file, lineAt(i), `command ${cmd}: ${logged.type} fact has ${field} ${value(logged)}, but ${policy} gives ${value(made)} for ${what()}`);
    }
  }
  return decided;
}

/** The command a whole command's facts (as `commandUnitProblem` accepts them) were made by. */
function impliedCommand(facts: readonly Fact[]): unknown {
  const first = facts[0]!;
  switch (first.type) {
    case 'Rejected':
      return first.command;
    case 'Registered':
      return { op: 'register', family: first.family, size: first.size };
    case 'Freed':
      return { op: 'free', id: first.id };
    case 'PageRequest':
    case 'Allocated':
    case 'PageRelease': {
      const a = facts.find((f) => f.type === 'Allocated');
      if (a === undefined || a.type !== 'Allocated') return { op: 'free', id: '' };
      return a.realloc === true ? { op: 'realloc', id: a.from, units: a.units, to: a.id } : { op: 'alloc', id: a.id, family: a.family, units: a.units };
    }
    default: {
      const never: never = first;
      return never;
    }
  }
}

/** A fact in a message: its type, and a rejection's code and reason. */
function factName(f: Fact): string {
  return f.type === 'Rejected' ? `Rejected ${f.code} (${f.message})` : f.type;
}

/** The first field in which a logged fact and a decided one of the same type differ, `seq` and `cmd` aside; undefined when they are equal as JSON values. */
function differingField(logged: Fact, made: Fact): string | undefined {
  const l = logged as unknown as Record<string, unknown>;
  const m = made as unknown as Record<string, unknown>;
  for (const k of Object.keys(m)) if (!jsonValueEqual(l[k], m[k])) return k;
  for (const k of Object.keys(l)) if (k !== 'seq' && k !== 'cmd' && l[k] !== undefined && m[k] === undefined) return k;
  return undefined;
}

function jsonValueEqual(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || Array.isArray(x) || Array.isArray(y)) return false;
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  const kx = Object.keys(xo);
  return kx.length === Object.keys(yo).length && kx.every((k) => Object.hasOwn(yo, k) && jsonValueEqual(xo[k], yo[k]));
}

/** A command as a reader sees it in a message: `alloc "x" (3 units of "emp_t")`. */
function describeCommand(command: unknown): string {
  const c = command as Record<string, unknown> | null;
  const shown = (v: unknown): string => preview(JSON.stringify(v) ?? String(v));
  if (typeof c !== 'object' || c === null) return `the command ${shown(command)}`;
  switch (c.op) {
    case 'register':
      return `register ${shown(c.family)} (${shown(c.size)} B)`;
    case 'alloc':
      return `alloc ${shown(c.id)} (${shown(c.units ?? 1)} units of ${shown(c.family)})`;
    case 'free':
      return `free ${shown(c.id)}`;
    case 'realloc':
      return `realloc ${shown(c.id)} to ${shown(c.to ?? c.id)} (${shown(c.units ?? 1)} units)`;
    default:
      return `the command ${shown(command)}`;
  }
}
