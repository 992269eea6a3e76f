import { defer, type OperatorFunction } from 'rxjs';
import { Engine, type HeapState, type PolicySwitch } from '@lmm/core';
import type { CommandBatch, RunBatch } from './batch.js';
import { cutsEvery, runBatches } from './runBatches.js';

/** Options of `runCommands`. */
export interface RunCommandsOptions {
  /** Switch the policy after this command (`run --switch`). */
  readonly switchAt?: PolicySwitch;
  /** Also end a `RunBatch` after every multiple of each of these command counts (checkpoints, rows of a time series). */
  readonly cutEvery?: readonly number[];
}

/**
 * The engine as an operator: runs the commands of every batch on one `Engine` (a transient
 * working copy, no snapshot per command) from `start`, and emits what each batch did as a
 * `RunBatch`. Cold: every subscription runs from `start` with its own engine. Rejected
 * commands are facts, not errors; the source's errors and completion pass through.
 */
export function runCommands(start: HeapState, options: RunCommandsOptions = {}): OperatorFunction<CommandBatch, RunBatch> {
  const switchAt = options.switchAt;
  const cut = cutsEvery(options.cutEvery, switchAt === undefined ? undefined : (cmd) => cmd === switchAt.cmd);
  return (batches) =>
    defer(() => {
      const engine = new Engine(start);
      if (switchAt !== undefined && switchAt.cmd === 0) engine.setPolicy(switchAt.policy);
      return batches.pipe(
        runBatches(
          engine,
          (c, cmd) => {
            const facts = engine.execute(c.command);
            if (switchAt !== undefined && cmd === switchAt.cmd) engine.setPolicy(switchAt.policy);
            return facts;
          },
          (c) => c.line,
          cut,
        ),
      );
    });
}

/** The same as `runCommands`, for batches run on an engine the caller holds (e.g. to resume a run). */
export function runOnEngine(engine: Engine, first = 1): OperatorFunction<CommandBatch, RunBatch> {
  return runBatches(engine, (c) => engine.execute(c.command), (c) => c.line, undefined, first);
}
