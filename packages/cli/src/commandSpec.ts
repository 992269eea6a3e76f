import { parseArgs } from 'node:util';
import { UsageError } from './usageError.js';

/**
 * One option of a command: how it parses and what its help says. Each command's options
 * live in one file beside its help text (`runSpec.ts`, `showSpec.ts`…), so the list that
 * is parsed and the list that `--help` prints are the same list.
 */
export interface OptionSpec {
  /** `string` takes a value (`--at 10`), `boolean` is a flag (`--json`). */
  readonly type: 'string' | 'boolean';
  /** A one-letter alias (`o` for `-o`). */
  readonly short?: string;
  /** How help writes the value: `N`, `LOG`, `auto|jsonl|valgrind|rep`. Options that take a value only. */
  readonly value?: string;
  /** The default as help shows it (`seed`, `the end`); absent when the option has none. */
  readonly default?: string;
  /** What the option does, in a sentence or two. */
  readonly help: string;
  /** The value names a file: `input` or `output`. An empty name is refused; `-` is standard input or output. */
  readonly file?: 'input' | 'output';
  /** Listed by help but refused when given: not in this build yet. */
  readonly planned?: true;
}

/** A positional argument of a command. */
export interface ArgumentSpec {
  /** As help and messages write it: `TRACE`, `LOG`, `A`. */
  readonly name: string;
  readonly help: string;
  /** The argument names a file to read (`-` is standard input). */
  readonly input?: true;
  /** One or more of it (`TRACE…`): only the last argument. */
  readonly variadic?: true;
}

/** An example in help: the command line and, optionally, what it shows. */
export interface ExampleSpec {
  readonly command: string;
  readonly note?: string;
}

/** A subcommand's interface: its arguments, options, help text and examples. */
export interface CommandSpec<O extends Readonly<Record<string, OptionSpec>> = Readonly<Record<string, OptionSpec>>> {
  /** `run`, `show`… */
  readonly name: string;
  /** One line for `lmm --help`'s list of commands. */
  readonly summary: string;
  /** What the command does, as paragraphs of help (each a string, wrapped when printed). */
  readonly description: readonly string[];
  readonly args: readonly ArgumentSpec[];
  readonly options: O;
  readonly examples: readonly ExampleSpec[];
  /** Listed by help but refused when run: not in this build yet. */
  readonly planned?: true;
}

/** The parsed values of a command's options: a string or boolean per option given, by its long name. */
export type OptionValues<O> = { -readonly [K in keyof O]?: O[K] extends { readonly type: 'boolean' } ? boolean : string };

/** A parsed command line: options by name, positional arguments in order. */
export interface ParsedCommandLine<O> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
}

/** The options every command takes besides its own. */
export const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'print this help and exit' };

/**
 * Parses `args` against `spec` (Node's `util.parseArgs`, strict): unknown options, missing
 * values, a wrong number of arguments, an empty file name, an option not in this build and
 * standard input named twice are UsageErrors naming the command (`run: …`). `--help` is
 * handled before this (see `wantsHelp`).
 */
export function parseCommandLine<O extends Readonly<Record<string, OptionSpec>>>(spec: CommandSpec<O>, args: readonly string[]): ParsedCommandLine<O> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries(spec.options)) options[name] = o.short === undefined ? { type: o.type } : { type: o.type, short: o.short };
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${spec.name}: ${(e as Error).message} (lmm ${spec.name} --help lists the options)`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const stdin: string[] = [];
  for (const [name, o] of Object.entries(spec.options)) {
    const v = values[name];
    if (v === undefined) continue;
    if (o.planned) throw new UsageError(`${spec.name}: --${name} is not in this build yet`);
    if (o.file !== undefined && v === '') throw new UsageError(`${spec.name}: --${name}: an empty file name (name a file, or - for standard ${o.file === 'input' ? 'input' : 'output'})`);
    if (o.file === 'input' && v === '-') stdin.push(`--${name}`);
  }
  const pos = parsed.positionals;
  const last = spec.args[spec.args.length - 1];
  if (pos.length < spec.args.length || (!last?.variadic && pos.length > spec.args.length)) {
    const wanted = spec.args.length === 0 ? 'no arguments' : spec.args.map((a) => (a.variadic ? `${a.name}…` : a.name)).join(' ');
    throw new UsageError(`${spec.name}: expected ${wanted}, got ${pos.length === 0 ? 'nothing' : pos.join(' ')}`);
  }
  pos.forEach((p, i) => {
    const arg = spec.args[Math.min(i, spec.args.length - 1)]!;
    if (!arg.input) return;
    if (p === '') throw new UsageError(`${spec.name}: ${arg.name}: an empty file name (name a file, or - for standard input)`);
    if (p === '-') stdin.push(arg.name);
  });
  if (stdin.length > 1) throw new UsageError(`${spec.name}: standard input (-) is given as ${stdin.join(' and ')}; it can be read once`);
  return { values: values as OptionValues<O>, positionals: pos };
}

/** True when `args` ask for help: `--help` or `-h` before a `--` that ends the options. */
export function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}
