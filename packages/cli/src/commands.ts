import type { CommandSpec } from './commandSpec.js';
import { COMPARE_SPEC } from './compareSpec.js';
import { diffCommand } from './diffCommand.js';
import { DIFF_SPEC } from './diffSpec.js';
import { runCommand } from './runCommand.js';
import { RUN_SPEC } from './runSpec.js';
import { showCommand } from './showCommand.js';
import { SHOW_SPEC } from './showSpec.js';
import { statsCommand } from './statsCommand.js';
import { STATS_SPEC } from './statsSpec.js';
import { viewCommand } from './viewCommand.js';
import { VIEW_SPEC } from './viewSpec.js';

/** A CLI subcommand: takes its arguments, returns the exit status; throws UsageError or InputError. */
export type Subcommand = (args: string[]) => Promise<number>;

/** A subcommand and its interface (arguments, options, help); `run` is absent while the command is not in this build. */
export interface CommandEntry {
  readonly spec: CommandSpec;
  readonly run?: Subcommand;
}

/** Every subcommand by name, in the order `lmm --help` lists them (SPEC §5's). */
export const commands: ReadonlyMap<string, CommandEntry> = new Map<string, CommandEntry>([
  ['run', { spec: RUN_SPEC, run: runCommand }],
  ['show', { spec: SHOW_SPEC, run: showCommand }],
  ['stats', { spec: STATS_SPEC, run: statsCommand }],
  ['diff', { spec: DIFF_SPEC, run: diffCommand }],
  ['view', { spec: VIEW_SPEC, run: viewCommand }],
  ['compare', { spec: COMPARE_SPEC }],
]);
