/**
 * `parseCommandLine` and `wantsHelp` on small specs made for the test (the real commands'
 * specs are in help.test.ts): every refusal's exact line, what is accepted beside it, and
 * arguments counted against fixed and variadic lists.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine, wantsHelp, type CommandSpec, type OptionSpec } from '../src/commandSpec.js';
import { UsageError } from '../src/usageError.js';

const OPTIONS = {
  in: { type: 'string', value: 'FILE', help: 'read FILE', file: 'input' },
  out: { type: 'string', value: 'FILE', help: 'write FILE', file: 'output' },
  name: { type: 'string', value: 'NAME', help: 'a name, not a file' },
  later: { type: 'boolean', help: 'not yet', planned: true },
  json: { type: 'boolean', short: 'j', help: 'JSON' },
} as const satisfies Record<string, OptionSpec>;

/** `t A B`: A a file to read, B a plain argument. */
const FIXED: CommandSpec<typeof OPTIONS> = { name: 't', summary: '', description: [], args: [{ name: 'A', help: '', input: true }, { name: 'B', help: '' }], options: OPTIONS, examples: [] };
/** `v A B…`: files to read, one or more after A. */
const VARIADIC: CommandSpec<typeof OPTIONS> = { ...FIXED, name: 'v', args: [{ name: 'A', help: '' }, { name: 'B', help: '', input: true, variadic: true }] };

/** The UsageError's message, or 'accepted'. */
function refusal(spec: CommandSpec<typeof OPTIONS>, args: readonly string[]): string {
  try {
    parseCommandLine(spec, args);
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
}

describe('parseCommandLine: options', () => {
  it('the values by long name (a short alias too); options not given are absent, a planned one included', () => {
    expect(parseCommandLine(FIXED, ['a', 'b', '-j', '--name', 'x'])).toEqual({ values: { json: true, name: 'x' }, positionals: ['a', 'b'] });
  });

  it('a planned option given is refused', () => {
    expect(refusal(FIXED, ['a', 'b', '--later'])).toBe('t: --later is not in this build yet');
  });

  it('an empty file name is refused, saying what - would be; an empty value that names no file is not', () => {
    expect(refusal(FIXED, ['a', 'b', '--in', ''])).toBe('t: --in: an empty file name (name a file, or - for standard input)');
    expect(refusal(FIXED, ['a', 'b', '--out', ''])).toBe('t: --out: an empty file name (name a file, or - for standard output)');
    expect(parseCommandLine(FIXED, ['a', 'b', '--name', '']).values).toEqual({ name: '' });
  });

  it('standard input named twice is refused, however named; - for an output or a plain value is not standard input', () => {
    expect(refusal(FIXED, ['-', 'b', '--in', '-'])).toBe('t: standard input (-) is given as --in and A; it can be read once');
    expect(refusal(VARIADIC, ['a', '-', 'c', '-'])).toBe('v: standard input (-) is given as B and B; it can be read once');
    expect(refusal(FIXED, ['-', 'b', '--out', '-', '--name', '-'])).toBe('accepted');
    expect(refusal(FIXED, ['a', '-', '--in', '-'])).toBe('accepted');
    expect(refusal(FIXED, ['a', 'b', '--in', '-'])).toBe('accepted');
    // Only - is standard input: a file named for the option beside a - argument is read once each.
    expect(refusal(FIXED, ['-', 'b', '--in', 'x.jsonl'])).toBe('accepted');
    expect(refusal(VARIADIC, ['a', 'b', '-', '--in', 'x.jsonl'])).toBe('accepted');
  });

  it('an unknown option names the command and where its options are listed', () => {
    expect(refusal(FIXED, ['a', 'b', '--nope'])).toMatch(/^t: Unknown option '--nope'.* \(lmm t --help lists the options\)$/);
  });
});

describe('parseCommandLine: arguments', () => {
  it.each([
    [[], 't: expected A B, got nothing'],
    [['a'], 't: expected A B, got a'],
    [['a', 'b', 'c'], 't: expected A B, got a b c'],
    [['a', 'b'], 'accepted'],
  ])('t %j: %s', (args, message) => {
    expect(refusal(FIXED, args)).toBe(message);
  });

  it.each([
    [[], 'v: expected A B…, got nothing'],
    [['a'], 'v: expected A B…, got a'],
    [['a', 'b'], 'accepted'],
    [['a', 'b', 'c', 'd'], 'accepted'],
  ])('v %j: %s', (args, message) => {
    expect(refusal(VARIADIC, args)).toBe(message);
  });

  it('a command that takes no arguments (the options of a trace\'s option line) says so', () => {
    const NONE: CommandSpec<typeof OPTIONS> = { ...FIXED, name: 'n', args: [] };
    expect(refusal(NONE, ['--json'])).toBe('accepted');
    expect(refusal(NONE, ['extra', '--json'])).toBe('n: expected no arguments, got extra');
  });

  it('an empty name is refused for an argument that names a file to read, each of a variadic one; not for a plain argument', () => {
    expect(refusal(FIXED, ['', 'b'])).toBe('t: A: an empty file name (name a file, or - for standard input)');
    expect(refusal(FIXED, ['a', ''])).toBe('accepted');
    expect(refusal(VARIADIC, ['', 'b'])).toBe('accepted');
    expect(refusal(VARIADIC, ['a', 'b', ''])).toBe('v: B: an empty file name (name a file, or - for standard input)');
  });
});

describe('wantsHelp', () => {
  it('--help or -h anywhere before a --; nothing else', () => {
    expect(wantsHelp(['x', '-h'])).toBe(true);
    expect(wantsHelp(['--help', '--'])).toBe(true);
    expect(wantsHelp(['x', '--', '--help'])).toBe(false);
    expect(wantsHelp(['--', '-h'])).toBe(false);
    expect(wantsHelp(['--helpful', '-H', 'help'])).toBe(false);
    expect(wantsHelp([])).toBe(false);
  });
});
