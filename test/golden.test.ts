/**
 * Golden files of /work/shared/reference (the C reference's runs in this project's
 * formats): the fact log and the state dump after every command must match byte for byte.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Relative imports: the repository root does not depend on the workspace packages by name.
import { dumpJson, Engine, evolveAll, initialState, LAYOUTS, step, type Fact, type Layout } from '@lmm/core';
import { factLine, headerLine, makeHeader } from '@lmm/replay';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REFERENCE = join(REPO, '..', 'shared', 'reference');

/** Lines of a reference file, without the final empty line. */
function lines(file: string): string[] {
  return readFileSync(join(REFERENCE, file), 'utf8').split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1);
}

/** The commands of a trace (SPEC §3: blank lines and lines starting with '#' are skipped). */
function commands(file: string): unknown[] {
  return lines(file)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => JSON.parse(l) as unknown);
}

const CASES: { trace: string; layoutName: 'seed' | 'lmm64'; layout: Layout }[] = [
  { trace: 'golden-22', layoutName: 'lmm64', layout: LAYOUTS.lmm64 },
  { trace: 'testapp', layoutName: 'seed', layout: LAYOUTS.seed },
  { trace: 'testapp', layoutName: 'lmm64', layout: LAYOUTS.lmm64 },
];

describe.each(CASES)('$trace on $layoutName', ({ trace, layoutName, layout }) => {
  const cmds = commands(`${trace}.jsonl`);
  const expectedFacts = lines(`${trace}.${layoutName}.facts.jsonl`);
  const expectedStates = lines(`${trace}.${layoutName}.states.jsonl`);

  it('has as many state lines as commands', () => {
    expect(cmds.length).toBeGreaterThan(0);
    expect(expectedStates).toHaveLength(cmds.length);
  });

  it('gives exactly the reference fact log and the reference state after every command (step)', () => {
    const out = [headerLine(makeHeader(layout, 'worst-fit', null))];
    const states: string[] = [];
    let state = initialState({ layout });
    let seq = 0;
    cmds.forEach((command, i) => {
      const result = step(state, command);
      state = result.state;
      for (const fact of result.facts) out.push(factLine(++seq, i + 1, fact));
      states.push(`{"cmd":${i + 1},"state":${dumpJson(state)}}`);
    });
    expect(out).toEqual(expectedFacts);
    expect(states).toEqual(expectedStates);
  });

  it('folding the reference fact log alone gives the reference states (no decisions)', () => {
    let state = initialState({ layout });
    const byCmd = new Map<number, Fact[]>();
    for (const line of expectedFacts.slice(1)) {
      const { seq: _seq, cmd, ...fact } = JSON.parse(line) as Fact & { seq: number; cmd: number };
      byCmd.set(cmd, [...(byCmd.get(cmd) ?? []), fact as Fact]);
    }
    const states = cmds.map((_, i) => {
      state = evolveAll(state, byCmd.get(i + 1) ?? []);
      return `{"cmd":${i + 1},"state":${dumpJson(state)}}`;
    });
    expect(states).toEqual(expectedStates);
  });

  it('gives the same through the batch Engine', () => {
    const engine = new Engine(initialState({ layout }));
    const out: string[] = [];
    const states: string[] = [];
    let seq = 0;
    cmds.forEach((command, i) => {
      for (const fact of engine.execute(command)) out.push(factLine(++seq, i + 1, fact));
      states.push(`{"cmd":${i + 1},"state":${dumpJson(engine.peek())}}`);
    });
    expect(out).toEqual(expectedFacts.slice(1));
    expect(states).toEqual(expectedStates);
  });
});
