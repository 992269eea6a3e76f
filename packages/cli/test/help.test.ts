/**
 * Help and version: one text per command, made from the same option list the command
 * parses, so every option is documented with its values and default; `lmm --help`,
 * `lmm help CMD`, `lmm CMD --help` and `lmm --version` from the command line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lmmAsync, REPO_ROOT } from '@lmm/testkit';
import { parseCommandLine } from '../src/commandSpec.js';
import { commands } from '../src/commands.js';
import { commandHelp, mainHelp } from '../src/helpText.js';
import { UsageError } from '../src/usageError.js';

const specs = [...commands.values()].map((c) => c.spec);

describe('help text', () => {
  it('SPEC §5 lists these commands, and lmm --help lists each with its summary', () => {
    expect(specs.map((s) => s.name)).toEqual(['run', 'show', 'stats', 'diff', 'view', 'compare']);
    const text = mainHelp(specs);
    for (const s of specs) expect(text).toContain(`lmm ${s.name} `);
  });

  it.each(specs.map((s) => [s.name, s] as const))('lmm %s --help: every option with its value and default, every argument, an example', (_, spec) => {
    const text = commandHelp(spec);
    for (const [name, o] of Object.entries(spec.options)) {
      const head = `--${name}${o.type === 'string' ? ` ${o.value}` : ''}`;
      expect(text, name).toContain(head);
      if (o.default !== undefined) expect(text.replace(/\s+/g, ' '), name).toContain(`(default: ${o.default})`);
    }
    for (const a of spec.args) expect(text).toContain(`  ${a.name}`);
    expect(text).toMatch(/\nexamples:\n {2}lmm /);
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('every option help lists is one the command accepts, and no other is accepted', () => {
    for (const spec of specs) {
      const positionals = spec.args.map(() => 'x');
      for (const [name, o] of Object.entries(spec.options)) {
        const args = [...positionals, `--${name}`, ...(o.type === 'string' ? ['1'] : [])];
        if (o.planned) expect(() => parseCommandLine(spec, args), name).toThrow(/not in this build yet/);
        else expect(parseCommandLine(spec, args).values, `${spec.name} --${name}`).toHaveProperty(name);
      }
      expect(() => parseCommandLine(spec, [...positionals, '--no-such-option'])).toThrow(UsageError);
    }
  });

  it('file options refuse an empty name; standard input can be named once', () => {
    const run = commands.get('run')!.spec;
    expect(() => parseCommandLine(run, ['t.jsonl', '--facts', ''])).toThrow(/--facts: an empty file name/);
    expect(() => parseCommandLine(run, [''])).toThrow(/TRACE: an empty file name/);
    const diff = commands.get('diff')!.spec;
    expect(() => parseCommandLine(diff, ['-', '-'])).toThrow(/standard input \(-\) is given as A and B/);
    expect(parseCommandLine(diff, ['-', 'b.jsonl']).positionals).toEqual(['-', 'b.jsonl']);
  });
});

describe('lmm help from the command line', () => {
  it('lmm --help, lmm help CMD, lmm CMD --help exit 0; --version prints the cli package version', async () => {
    const [top, helpRun, runHelp, version, bare] = await Promise.all([
      lmmAsync(['--help']),
      lmmAsync(['help', 'run']),
      lmmAsync(['run', '--facts', 'x', '--help']),
      lmmAsync(['--version']),
      lmmAsync([]),
    ]);
    expect(top).toMatchObject({ code: 0, stderr: '' });
    expect(top.stdout).toBe(`${mainHelp(specs)}\n`);
    expect(helpRun).toMatchObject({ code: 0, stderr: '' });
    expect(helpRun.stdout).toBe(`${commandHelp(commands.get('run')!.spec)}\n`);
    expect(runHelp.stdout).toBe(helpRun.stdout);
    const pkg = JSON.parse(readFileSync(`${REPO_ROOT}/packages/cli/package.json`, 'utf8')) as { version: string };
    expect(version).toMatchObject({ code: 0, stdout: `lmm ${pkg.version}\n` });
    // No command at all: the list of commands, on stderr, exit 2.
    expect(bare).toMatchObject({ code: 2, stdout: '' });
    expect(bare.stderr).toContain('commands:');
  });
});
