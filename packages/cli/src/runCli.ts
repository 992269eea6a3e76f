import { readFileSync } from 'node:fs';
import { InputError } from '@lmm/replay';
import { oneLine, type CliIo } from './cliIo.js';
import { commands, type CommandEntry } from './commands.js';
import { wantsHelp } from './commandSpec.js';
import { commandHelp, mainHelp } from './helpText.js';
import { abortAllOutputs, ClosedStdout, OutputError } from './outputFile.js';
import { inUserDir } from './paths.js';
import { UsageError } from './usageError.js';

/** Options of `runCli`. */
export interface RunCliOptions {
  /** The directory file arguments are relative to (an absolute path); default the process's (or INIT_CWD under `pnpm lmm`). */
  readonly cwd?: string;
}

/**
 * `lmm ARGV…` without the process around it: dispatches to the command (or help, version),
 * writes its output on `io.stdout`, and returns the exit status of SPEC §5 — 0 on success,
 * 2 for a usage error or bad input, 1 for a failed write or anything unexpected — with the
 * error as one line `lmm: …` on `io.stderr` and no unfinished output file left behind.
 * Standard output closed by its reader is 0. `main.ts` adds the process's wiring (signals,
 * the memory guard, an EPIPE on stdout) and sets the exit status.
 */
export async function runCli(argv: readonly string[], io: CliIo, options: RunCliOptions = {}): Promise<number> {
  try {
    return await inUserDir(options.cwd, () => dispatch(argv, io));
  } catch (e) {
    abortAllOutputs();
    if (e instanceof ClosedStdout) return 0;
    if (e instanceof InputError || e instanceof UsageError || e instanceof OutputError) {
      io.stderr.write(`lmm: ${oneLine(e.message)}\n`);
      return e instanceof OutputError ? 1 : 2;
    }
    io.stderr.write(`lmm: unexpected error: ${oneLine(describeError(e))}\n`);
    if (process.env.LMM_DEBUG) io.stderr.write(`${(e as Error | undefined)?.stack ?? ''}\n`);
    return 1;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const specs = [...commands.values()].map((c) => c.spec);
  const printed = (text: string): number => {
    io.stdout.write(`${text}\n`);
    return 0;
  };
  if (name === undefined) {
    io.stderr.write(`${mainHelp(specs)}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h') return printed(mainHelp(specs));
  if (name === '--version' || name === '-V') return printed(version());
  if (name === 'help') {
    const [topic, ...more] = rest;
    if (topic === undefined) return printed(mainHelp(specs));
    if (more.length > 0) throw new UsageError(`help: one command at a time (got ${rest.join(' ')})`);
    return printed(commandHelp(entry(topic).spec));
  }
  const command = entry(name);
  if (wantsHelp(rest)) return printed(commandHelp(command.spec));
  if (command.load === undefined) throw new UsageError(`${name}: not in this build yet (lmm help ${name} says what it will do)`);
  return (await command.load())(rest, io);
}

/** The command named `name`, or a UsageError listing where to find the commands. */
function entry(name: string): CommandEntry {
  const command = commands.get(name);
  if (command === undefined) throw new UsageError(`unknown command '${oneLine(name)}' (lmm --help lists the commands)`);
  return command;
}

/** `lmm VERSION`, the version of the @lmm/cli package this file belongs to, read from its package.json at run time. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return `lmm ${pkg.version}`;
}

/** What went wrong, for the `unexpected error` line: V8's out-of-memory errors said as such. */
export function describeError(e: unknown): string {
  if (e instanceof RangeError && /Invalid (string|array) length|allocation failed/i.test(e.message)) return `out of memory (${e.message})`;
  if (e instanceof Error) return e.message;
  return String(e);
}
