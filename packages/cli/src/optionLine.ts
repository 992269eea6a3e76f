import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { InputError } from '@lmm/replay';
import { parseCommandLine, type OptionValues } from './commandSpec.js';
import { familiesOption, formatOption, intOption, layoutOption, policyOption } from './options.js';
import { userPath } from './paths.js';
import { RUN_OPTIONS, RUN_SPEC } from './runSpec.js';
import { switchOption } from './switchOption.js';
import type { CliIo } from './cliIo.js';

/** A trace's option line: where it is and the options it gives. */
export interface OptionLine {
  /** The 1-based line number. */
  readonly line: number;
  /** The words after `# lmm:`. */
  readonly words: readonly string[];
}

/**
 * The options a trace may set for itself (how it is read and run, not where the outputs
 * go), each with the check of its value, so that a bad value is reported at the line. Each
 * takes a value (none is a flag).
 */
const SETTABLE: Readonly<Record<string, (value: string) => unknown>> = {
  format: formatOption,
  families: familiesOption,
  layout: layoutOption,
  policy: policyOption,
  switch: switchOption,
  'max-pages': (v) => intOption('max-pages', v),
};

/** Bytes of a trace's head searched for its option line: the comment lines before its first command. */
const HEAD_BYTES = 64 * 1024;

const OPTION_LINE = /^#\s*lmm:(.*)$/;

/**
 * The first `# lmm: …` line among the lines that open `head` (blank lines and `#` comment
 * lines — `#` in the first column — up to the first other line: the trace's first command),
 * or undefined when there is none. Scenarios say there how they are meant to be run.
 */
export function findOptionLine(head: string): OptionLine | undefined {
  const lines = head.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    // A comment starts with `#` in the first column (SPEC §3): an indented `#` is the first command.
    if (!raw.startsWith('#')) return undefined;
    // trimEnd drops a CRLF line's \r too.
    const m = OPTION_LINE.exec(raw.trimEnd());
    if (m !== null) return { line: i + 1, words: m[1]!.match(/\S+/g) ?? [] };
  }
  return undefined;
}

/**
 * True when `head` holds the whole of the trace's opening comment block: some line, the
 * last (perhaps cut-off) one too, is neither blank nor a `#` comment (`#` in its first column).
 */
function headComplete(head: string): boolean {
  return head.split('\n').some((l) => l.trim() !== '' && !l.startsWith('#'));
}

/**
 * The opening of the trace `file` (as the user named it), enough to find its option line:
 * from a regular file, its first HEAD_BYTES; from standard input (`-`), what arrives until
 * the first command or HEAD_BYTES, put back into `process.stdin` for the trace reader.
 * Anything else (a FIFO, a process substitution) cannot be read twice: undefined, and its
 * option line is not looked for. A file that cannot be opened is left to the reader to report.
 */
async function traceHead(file: string): Promise<string | undefined> {
  if (file === '-') return peekStdin();
  const path = userPath(file);
  let fd: number;
  try {
    if (!statSync(path).isFile()) return undefined;
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads standard input until its opening comment lines are whole (or HEAD_BYTES), then puts
 * every byte back (`unshift`) for the trace reader. Input that ends within its comment
 * lines (a trace without commands) cannot be put back after its end: `process.stdin` is
 * then replaced by a stream of the bytes read, for the reader to read them all the same.
 */
async function peekStdin(): Promise<string> {
  const stdin = process.stdin;
  const chunks: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  const text = () => Buffer.concat(chunks).toString('utf8');
  while (!ended && bytes < HEAD_BYTES && !headComplete(text())) {
    const chunk = stdin.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      bytes += chunk.length;
      continue;
    }
    // A pipe's socket emits 'end' on the tick after its last 'readable', before this loop
    // runs again: an end already emitted is not waited for (it would never come).
    ended = stdin.readableEnded || (await new Promise<boolean>((resolve) => {
      const done = (end: boolean) => {
        stdin.off('readable', onReadable);
        stdin.off('end', onEnd);
        resolve(end);
      };
      const onReadable = () => done(false);
      const onEnd = () => done(true);
      stdin.on('readable', onReadable);
      stdin.on('end', onEnd);
    }));
  }
  if (chunks.length > 0) {
    const head = Buffer.concat(chunks);
    if (!ended) stdin.unshift(head);
    // An ended stream takes nothing back: the readers get a stream of the same bytes in its
    // place, so a trace of comments only runs as it does from a file (no command, exit 0).
    else Object.defineProperty(process, 'stdin', { value: Readable.from([head]), configurable: true, enumerable: true, writable: true });
  }
  return text();
}

/**
 * The options of `lmm run` with the trace's option line applied under them: each option
 * the line gives is used unless the command line gives it too (the command line wins).
 * When the line gives anything, says so on `io.stderr` in one line:
 * `lmm: using options from TRACE:LINE: --layout seed --max-pages 2`. An option a trace may
 * not set (an output, --json) or a malformed line is an InputError at its line.
 */
export async function withOptionLine(io: CliIo, trace: string, values: OptionValues<typeof RUN_OPTIONS>): Promise<OptionValues<typeof RUN_OPTIONS>> {
  const head = await traceHead(trace);
  const found = head === undefined ? undefined : findOptionLine(head);
  if (found === undefined || found.words.length === 0) return values;
  let fromLine: OptionValues<typeof RUN_OPTIONS>;
  try {
    // The option line is run's own options, parsed by the same spec, with no TRACE.
    fromLine = parseCommandLine({ ...RUN_SPEC, args: [] }, found.words).values;
  } catch (e) {
    throw new InputError(trace, found.line, `the option line: ${(e as Error).message.replace(/^run: /, '')}`);
  }
  const merged: OptionValues<typeof RUN_OPTIONS> = { ...values };
  const used: string[] = [];
  const overridden: string[] = [];
  for (const [name, value] of Object.entries(fromLine) as [keyof typeof RUN_OPTIONS, string | boolean][]) {
    const check = Object.hasOwn(SETTABLE, name) ? SETTABLE[name] : undefined;
    if (check === undefined) throw new InputError(trace, found.line, `the option line sets --${name}; a trace may set only ${Object.keys(SETTABLE).map((o) => `--${o}`).join(', ')}`);
    try {
      check(String(value));
    } catch (e) {
      throw new InputError(trace, found.line, `the option line: ${(e as Error).message}`);
    }
    if (values[name] !== undefined) {
      overridden.push(`--${name}`);
      continue;
    }
    (merged as Record<string, string | boolean>)[name] = value;
    used.push(`--${name} ${value}`);
  }
  const where = `${trace}:${found.line}`;
  const note = used.length > 0 ? `using options from ${where}: ${used.join(' ')}` : `options from ${where} not used`;
  const won = overridden.length > 0 ? ` (the command line's ${overridden.join(', ')} ${overridden.length === 1 ? 'wins' : 'win'})` : '';
  io.stderr.write(`lmm: ${note}${won}\n`);
  return merged;
}
