import type { CliIo } from './cliIo.js';
import type { CommandSpec } from './commandSpec.js';
import { COMPARE_SPEC } from './compareSpec.js';
import { DIFF_SPEC } from './diffSpec.js';
import { RUN_SPEC } from './runSpec.js';
import { SHOW_SPEC } from './showSpec.js';
import { STATS_SPEC } from './statsSpec.js';
import { VIEW_SPEC } from './viewSpec.js';

/** A CLI subcommand: takes its arguments and where to report, returns the exit status; throws UsageError or InputError. */
export type Subcommand = (args: string[], io: CliIo) => Promise<number>;

/**
 * A subcommand and its interface (arguments, options, help). `load` imports the command's
 * code when it runs — so `lmm run` does not load the viewer and its bundler, and help
 * loads none — and is absent while the command is not in this build.
 */
export interface CommandEntry {
  readonly spec: CommandSpec;
  readonly load?: () => Promise<Subcommand>;
}

/** Every subcommand by name, in the order `lmm --help` lists them (SPEC §5's). */
export const commands: ReadonlyMap<string, CommandEntry> = new Map<string, CommandEntry>([
  ['run', { spec: RUN_SPEC, load: async () => (await import('./runCommand.js')).runCommand }],
  ['show', { spec: SHOW_SPEC, load: async () => (await import('./showCommand.js')).showCommand }],
  ['stats', { spec: STATS_SPEC, load: async () => (await import('./statsCommand.js')).statsCommand }],
  ['diff', { spec: DIFF_SPEC, load: async () => (await import('./diffCommand.js')).diffCommand }],
  ['view', { spec: VIEW_SPEC, load: async () => (await import('./viewCommand.js')).viewCommand }],
  ['compare', { spec: COMPARE_SPEC, load: async () => (await import('./compareCommand.js')).compareCommand }],
]);
