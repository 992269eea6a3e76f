import { HELP_OPTION, type CommandSpec, type OptionSpec } from './commandSpec.js';

/** Help is wrapped to this many columns. */
const WIDTH = 80;

/** `text` wrapped at word boundaries to `width` columns, each line after `indent`. A word longer than a line stays whole. */
export function wrap(text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

/** An option as help writes it on its first line: `-o, --output FILE.html`. */
function optionHead(name: string, o: OptionSpec): string {
  const flag = `${o.short === undefined ? '' : `-${o.short}, `}--${name}`;
  return o.type === 'string' ? `${flag} ${o.value ?? 'VALUE'}` : flag;
}

/** The usage line of a command: `lmm run TRACE [options]`. */
export function usageLine(spec: CommandSpec): string {
  const args = spec.args.map((a) => (a.variadic ? `${a.name}…` : a.name)).join(' ');
  return `lmm ${spec.name} ${args} [options]`.replace(/\s+/g, ' ');
}

/**
 * The full help of a command: usage, what it does, its arguments, every option with its
 * values and default, and examples. Options not in this build yet are marked so.
 */
export function commandHelp(spec: CommandSpec): string {
  const out: string[] = [`usage: ${usageLine(spec)}`, ''];
  for (const paragraph of spec.description) out.push(...wrap(paragraph, ''), '');
  if (spec.planned) out.push('(not in this build yet)', '');
  out.push('arguments:');
  for (const a of spec.args) {
    out.push(`  ${a.variadic ? `${a.name}…` : a.name}`);
    out.push(...wrap(a.help, '      '));
  }
  out.push('', 'options:');
  for (const [name, o] of [...Object.entries(spec.options), ['help', HELP_OPTION] as const]) {
    out.push(`  ${optionHead(name, o)}`);
    const tail = [o.default === undefined ? '' : ` (default: ${o.default})`, o.planned ? ' (not in this build yet)' : ''].join('');
    out.push(...wrap(`${o.help}${tail}`, '      '));
  }
  out.push('', 'examples:');
  for (const e of spec.examples) {
    out.push(`  ${e.command}`);
    if (e.note !== undefined) out.push(...wrap(e.note, '      '));
  }
  return out.join('\n');
}

/** `lmm --help`: every command with its usage and one-line summary, and where to read more. */
export function mainHelp(specs: readonly CommandSpec[]): string {
  const out = [
    'usage: lmm <command> [arguments] [options]',
    '',
    ...wrap('lmm simulates a Linux-style heap memory manager: it runs traces of allocations (its own JSONL, valgrind --trace-malloc logs, malloc-lab .rep files), writes what happened as a fact log, and shows, compares and replays runs.', ''),
    '',
    'commands:',
  ];
  for (const s of specs) {
    out.push(`  ${usageLine(s)}`);
    out.push(...wrap(`${s.summary}${s.planned ? ' (not in this build yet)' : ''}`, '      '));
  }
  out.push(
    '',
    ...wrap('lmm help COMMAND (or lmm COMMAND --help) prints what a command does, every option with its values and default, and examples; lmm --version prints the version.', ''),
    '',
    ...wrap('A file argument of - is standard input (a trace or a log) or standard output (--facts, --state, -o). Exit status: 0 on success (rejected commands are facts, not failures), 2 for a usage error or bad input (one line on stderr: lmm: FILE:LINE: what is wrong), 1 for anything unexpected.', ''),
  );
  return out.join('\n');
}
