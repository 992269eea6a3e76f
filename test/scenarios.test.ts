/**
 * Every trace in scenarios/ runs under each option set its `# lmm: …` lines give (the options
 * of `lmm run`: --layout, --policy, --max-pages), with the invariants of SPEC §2 checked after
 * every command; then the facts that scenario is there to show are checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkInvariants, dumpJson, Engine, evolveAll, initialState, isPolicy, parseLayout, statsOf, toDump, type Fact, type HeapOptions, type HeapState } from '@lmm/core';
import { factLine, headerLine, makeHeader, readTrace } from '@lmm/replay';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIOS = join(ROOT, 'scenarios');
const REFERENCE = join(ROOT, '..', 'shared', 'reference');

/** The options of one `# lmm: --layout L --policy P --max-pages N` line. */
function parseOptions(line: string): Required<HeapOptions> {
  const words = line.replace(/^# lmm:/, '').trim().split(/\s+/);
  const options = { layout: parseLayout('seed'), policy: 'worst-fit', maxPages: null } as { layout: ReturnType<typeof parseLayout>; policy: string; maxPages: number | null };
  for (let i = 0; i < words.length; i += 2) {
    const [name, value] = [words[i], words[i + 1]];
    if (value === undefined) throw new Error(`${line}: ${name} has no value`);
    if (name === '--layout') options.layout = parseLayout(value);
    else if (name === '--policy') options.policy = value;
    else if (name === '--max-pages') options.maxPages = Number(value);
    else throw new Error(`${line}: unknown option ${name}`);
  }
  if (typeof options.layout === 'string' || !isPolicy(options.policy)) throw new Error(`${line}: bad layout or policy`);
  return options as Required<HeapOptions>;
}

/** One run of a scenario: its options, the states after each command (0 = empty) and each command's facts. */
interface ScenarioRun {
  readonly options: Required<HeapOptions>;
  readonly states: HeapState[];
  readonly facts: Fact[][];
  /** The fact log as `lmm run --facts` writes it. */
  readonly log: string;
}

async function runScenario(file: string, options: Required<HeapOptions>): Promise<ScenarioRun> {
  const engine = new Engine(initialState(options));
  const states = [engine.snapshot()];
  const facts: Fact[][] = [];
  const lines = [headerLine(makeHeader(options.layout, options.policy, options.maxPages))];
  for await (const batch of readTrace(file, { layout: options.layout, format: 'jsonl' })) {
    for (const { command, line } of batch) {
      const before = states.at(-1)!;
      const fs = engine.execute(command);
      const after = engine.snapshot();
      const where = `${file}:${line}`;
      expect(checkInvariants(after), where).toEqual([]);
      // Inv. 8: a rejected command changes nothing.
      if (fs[0]?.type === 'Rejected') expect(dumpJson(after), where).toBe(dumpJson(before));
      facts.push(fs);
      states.push(after);
      for (const f of fs) lines.push(factLine(lines.length, facts.length, f));
    }
  }
  // Inv. 10: the facts alone fold to the same state.
  expect(dumpJson(evolveAll(initialState(options), facts.flat()))).toBe(dumpJson(states.at(-1)!));
  return { options, states, facts, log: `${lines.join('\n')}\n` };
}

const types = (fs: readonly Fact[]) => fs.map((f) => f.type);
const only = <T extends Fact['type']>(fs: readonly Fact[], type: T) => fs.find((f): f is Extract<Fact, { type: T }> => f.type === type)!;
const blocksOf = (s: HeapState, family = 0, page?: number) => {
  const fam = toDump(s).families[family]!;
  return (page === undefined ? fam.pages[0]! : fam.pages.find((p) => p.page === page)!).blocks.map((b) => `${b.offset}:${b.free ? 'F' : 'A'}${b.size}${b.gap ? `+${b.gap}` : ''}`);
};
const firstParting = (a: ScenarioRun, b: ScenarioRun) => a.facts.findIndex((fs, i) => JSON.stringify(fs) !== JSON.stringify(b.facts[i])) + 1;

/** What each scenario is there to show (command numbers are 1-based, as in fact logs). */
const EXPECTED: Record<string, (runs: ScenarioRun[]) => void> = {
  'phase4-split-merge.jsonl': ([r]) => {
    const { states, facts } = r!;
    expect(types(facts[1]!)).toEqual(['PageRequest', 'Allocated']);
    expect(blocksOf(states[2]!)).toEqual(['0:A100', '128:F3940']);
    expect(blocksOf(states[4]!)).toEqual(['0:A100', '128:A100', '256:A100', '384:F3684']);
    expect(only(facts[4]!, 'Freed').merged).toEqual({ offset: 128, size: 100 });
    expect(only(facts[5]!, 'Freed').merged).toEqual({ offset: 0, size: 228 });
    expect(types(facts[6]!)).toEqual(['Freed', 'PageRelease']);
    expect(only(facts[6]!, 'Freed').merged).toEqual({ offset: 0, size: 4068 });
    expect(states[7]!.pagesInUse).toBe(0);
  },
  'phase6-worst-fit.jsonl': ([r]) => {
    const { states, facts } = r!;
    const before = toDump(states[12]!).families[0]!;
    expect(before.pages.map((p) => p.page)).toEqual([2, 1]);
    expect(before.queue).toEqual([
      { page: 1, offset: 540, size: 1052 },
      { page: 1, offset: 2160, size: 512 },
      { page: 2, offset: 3612, size: 456 },
      { page: 1, offset: 3780, size: 288 },
    ]);
    // The head of the queue, the largest free block of both pages, not the exact fit.
    expect(only(facts[12]!, 'Allocated')).toMatchObject({ id: 'x', page: 1, offset: 540, frag: 'none' });
    expect(blocksOf(states[13]!, 0, 1).slice(0, 3)).toEqual(['0:A512', '540:A512', '1080:F512']);
  },
  'hard-fragmentation.jsonl': ([r]) => {
    const { states, facts } = r!;
    expect(only(facts[4]!, 'Allocated')).toMatchObject({ id: 'c', offset: 0, size: 80, frag: 'hard', gap: 20 });
    expect(statsOf(states[5]!).total.hardFragBytes).toBe(20);
    expect(blocksOf(states[5]!)).toEqual(['0:A80+20', '128:A10', '166:F3902']);
    expect(only(facts[5]!, 'Freed')).toMatchObject({ size: 80, merged: { offset: 0, size: 100 } });
    expect(statsOf(states[6]!).total.hardFragBytes).toBe(0);
    expect(only(facts[6]!, 'Allocated')).toMatchObject({ id: 'big', page: 2, frag: 'hard', gap: 18 });
  },
  'soft-fragmentation.jsonl': ([r]) => {
    const { states, facts } = r!;
    expect(only(facts[1]!, 'Allocated')).toMatchObject({ size: 4000, frag: 'soft' });
    expect(blocksOf(states[2]!)).toEqual(['0:A4000', '4028:F40']);
    expect(statsOf(states[2]!).total.softFragBytes).toBe(40);
    expect(only(facts[2]!, 'PageRequest').page).toBe(2);
  },
  'large-blocks.jsonl': ([r]) => {
    const { states, facts } = r!;
    expect(facts[1]).toEqual([
      { type: 'PageRequest', family: 'l_t', page: 1, count: 3 },
      { type: 'Allocated', id: 'big', family: 'l_t', page: 1, offset: 0, size: 10000, units: 10, frag: 'large', gap: 2260 },
    ]);
    expect(toDump(states[2]!).families[0]!.queue).toEqual([]);
    expect(only(facts[2]!, 'PageRequest').page).toBe(4);
    expect(only(facts[3]!, 'PageRelease')).toMatchObject({ page: 1, count: 3 });
    expect(only(facts[4]!, 'Allocated')).toMatchObject({ id: 'edge', frag: 'soft', page: 5 });
    expect(states.at(-1)!.pagesInUse).toBe(0);
  },
  'page-limit.jsonl': ([r]) => {
    const { options, states, facts } = r!;
    expect(options.maxPages).toBe(2);
    expect(states.every((s) => s.pagesInUse <= 2)).toBe(true);
    expect(facts.map((fs) => (fs[0]!.type === 'Rejected' ? fs[0]!.code : '')).filter(Boolean)).toEqual(['E_OUT_OF_MEMORY', 'E_OUT_OF_MEMORY']);
    expect(facts[5]![0]).toMatchObject({ type: 'Rejected', code: 'E_OUT_OF_MEMORY', command: { id: 'm5' } });
    expect(only(facts[8]!, 'Allocated')).toMatchObject({ id: 'm5', page: 1, offset: 0 });
  },
  'double-free.jsonl': ([r]) => {
    const { facts } = r!;
    for (const c of [5, 6, 7]) expect(facts[c - 1]).toEqual([expect.objectContaining({ type: 'Rejected', code: 'E_NOT_ALLOCATED' })]);
    expect(only(facts[7]!, 'Allocated').id).toBe('d1');
    expect(types(facts.at(-1)!)).toEqual(['Freed', 'PageRelease']);
  },
  'golden-22.jsonl': ([r]) => {
    expect(r!.log).toBe(readFileSync(join(REFERENCE, 'golden-22.lmm64.facts.jsonl'), 'utf8'));
    const states = readFileSync(join(REFERENCE, 'golden-22.lmm64.states.jsonl'), 'utf8').trim().split('\n');
    expect(r!.states.slice(1).map((s, i) => JSON.stringify({ cmd: i + 1, state: toDump(s) }))).toEqual(states);
    expect(r!.facts.flat().some((f) => f.type === 'Allocated' && f.frag === 'hard')).toBe(true);
    expect(r!.facts.flat().some((f) => f.type === 'Allocated' && f.frag === 'soft')).toBe(true);
  },
  'testapp.jsonl': (runs) => {
    expect(runs.map((x) => x.options.layout.metaSize)).toEqual([28, 48]);
    runs.forEach((x, i) => {
      expect(x.log).toBe(readFileSync(join(REFERENCE, `testapp.${i === 0 ? 'seed' : 'lmm64'}.facts.jsonl`), 'utf8'));
      expect(x.states.at(-1)!.pagesInUse).toBe(0);
    });
  },
  'best-vs-worst-fit.jsonl': ([worst, best]) => {
    expect([worst!.options.policy, best!.options.policy]).toEqual(['worst-fit', 'best-fit']);
    expect(firstParting(worst!, best!)).toBe(6);
    expect(only(worst!.facts[5]!, 'Allocated')).toMatchObject({ id: 'e', offset: 1028 });
    expect(only(best!.facts[5]!, 'Allocated')).toMatchObject({ id: 'e', offset: 3084 });
    expect(types(worst!.facts[6]!)).toEqual(['PageRequest', 'Allocated']);
    expect(types(best!.facts[6]!)).toEqual(['Allocated']);
    expect([worst!.states.at(-1)!.pagesInUse, best!.states.at(-1)!.pagesInUse]).toEqual([2, 1]);
  },
  'realloc.jsonl': ([r]) => {
    const { facts, states } = r!;
    expect(facts[3]).toEqual([
      { type: 'Allocated', id: 'r1', family: 'r_t', page: 1, offset: 256, size: 300, units: 3, frag: 'none', gap: 0, realloc: true, from: 'r1' },
      { type: 'Freed', id: 'r1', family: 'r_t', page: 1, offset: 0, size: 100, merged: { offset: 0, size: 100 }, realloc: true },
    ]);
    expect(only(facts[4]!, 'Allocated')).toMatchObject({ id: 'r3', from: 'r2' });
    expect(only(facts[4]!, 'Freed').merged).toEqual({ offset: 0, size: 228 });
    expect(types(facts[5]!)).toEqual(['PageRequest', 'Allocated', 'Freed']);
    expect(only(facts[5]!, 'Allocated')).toMatchObject({ frag: 'large', page: 2 });
    expect(facts[6]![0]).toMatchObject({ code: 'E_ID_IN_USE' });
    expect(facts[7]![0]).toMatchObject({ code: 'E_BAD_UNITS' });
    expect([...states[8]!.live.keys()].sort()).toEqual(['r1', 'r3']);
    expect(states.at(-1)!.pagesInUse).toBe(0);
  },
};

const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.jsonl')).sort();

describe('scenarios/', () => {
  it('has every scenario the project promises, each with its expectations', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of files) {
    it(name, async () => {
      const file = join(SCENARIOS, name);
      const text = readFileSync(file, 'utf8');
      const head = text.split('\n').filter((_, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('#')));
      // Opens with what it shows (at least one line besides the options).
      expect(head.filter((l) => !l.startsWith('# lmm:')).length).toBeGreaterThan(0);
      const optionLines = text.split('\n').filter((l) => l.startsWith('# lmm:'));
      expect(optionLines.length).toBeGreaterThan(0);
      const runs: ScenarioRun[] = [];
      for (const line of optionLines) runs.push(await runScenario(file, parseOptions(line)));
      EXPECTED[name]!(runs);
    });
  }
});
