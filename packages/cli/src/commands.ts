import { diffCommand } from './diffCommand';
import { runCommand } from './runCommand';
import { showCommand } from './showCommand';
import { statsCommand } from './statsCommand';
import { viewCommand } from './viewCommand';

/** A CLI subcommand: takes its arguments, returns the exit status; throws UsageError or InputError. */
export type Subcommand = (args: string[]) => Promise<number>;

/** Every subcommand by name. */
export const commands: Readonly<Record<string, Subcommand>> = {
  run: runCommand,
  show: showCommand,
  stats: statsCommand,
  diff: diffCommand,
  view: viewCommand,
};
