/**
 * The malloc-lab importer: random traces (header on one line or spread over several) give
 * exactly their operations, however the lines are chunked; the hand-written fixtures give
 * the commands a reader expects; a trace generated from a real valgrind log runs exactly
 * like that log; malformed traces are InputErrors naming file and line.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInvariants, Engine, initialState, LAYOUTS, statsOf, type Command, type Fact } from '@lmm/core';
import { FamilyMapper, InputError, readLines, readTrace, RepParser, ValgrindParser, type FamilyMapping, type TraceCommand } from '@lmm/replay';
import { parseInChunks } from './parseInChunks.js';
import { propertyRuns } from '@lmm/testkit';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SHARED = join(ROOT, '..', 'shared', 'traces');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'traces');
const MAPPINGS: readonly FamilyMapping[] = ['single', 'pow2', 'exact'];
const tmp = mkdtempSync(join(tmpdir(), 'lmm-rep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Parses text cut into chunks of the given line counts. */
function parseText(text: string, mapping: FamilyMapping = 'single', cuts: readonly number[] = []): TraceCommand[] {
  const lines = text.split('\n');
  const parser = new RepParser('t.rep', new FamilyMapper(mapping, LAYOUTS.seed));
  const out = parseInChunks(parser, lines, cuts);
  out.push(...parser.end());
  return out;
}

async function readAll(file: string, options: Partial<Parameters<typeof readTrace>[1]> = {}): Promise<TraceCommand[]> {
  const out: TraceCommand[] = [];
  for await (const batch of readTrace(file, { layout: LAYOUTS.seed, ...options })) out.push(...batch);
  return out;
}

// Ids and sizes are spelled with 0–3 leading zeros now and then (`007` is id 7, as mdriver reads it).
const zerosArb = fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) });
const opArb = fc.oneof(
  fc.record({ op: fc.constant('a' as const), id: fc.nat(20), size: fc.nat(9000), zeros: zerosArb }),
  fc.record({ op: fc.constant('r' as const), id: fc.nat(20), size: fc.nat(9000), zeros: zerosArb }),
  fc.record({ op: fc.constant('f' as const), id: fc.integer({ min: -1, max: 20 }), zeros: zerosArb }),
);
/** `n` with `zeros` leading zeros (none before a minus sign). */
const spelled = (n: number, zeros: number): string => (n < 0 ? String(n) : '0'.repeat(zeros) + String(n));

describe('malloc-lab importer: random traces', () => {
  it('gives one command per operation (f -1 skipped), with its line and its id as a number (no leading zeros), whatever the header layout and chunking', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 20 }), fc.constantFrom('\n', '\n\n'), (ops, oneLine, cuts, sep) => {
        const header = oneLine ? [`1000 21 ${ops.length} 1`] : ['1000', '21', String(ops.length), '1'];
        const lines = [...header, ...ops.map((o) => (o.op === 'f' ? `f ${spelled(o.id, o.zeros)}` : `${o.op} ${spelled(o.id, o.zeros)} ${spelled(o.size, o.zeros)}`))];
        const got = parseText(lines.join(sep), 'single', cuts).filter((c) => (c.command as Command).op !== 'register');
        const step = sep.length;
        const expected = ops.flatMap((o, i): TraceCommand[] => {
          const line = (header.length + i) * step + 1;
          const id = String(o.id);
          switch (o.op) {
            case 'a':
              return [{ command: { op: 'alloc', id, family: 'heap', units: Math.max(o.size, 1) }, line }];
            case 'r':
              return [{ command: { op: 'realloc', id, units: Math.max(o.size, 1) }, line }];
            case 'f':
              return o.id === -1 ? [] : [{ command: { op: 'free', id }, line }];
          }
        });
        expect(got).toEqual(expected);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('malloc-lab importer: fixtures', () => {
  it('short1.rep (CS:APP style, header on four lines)', async () => {
    const got = await readAll(join(FIXTURES, 'short1.rep'));
    expect(got).toEqual([
      { command: { op: 'register', family: 'heap', size: 1 }, line: 5 },
      { command: { op: 'alloc', id: '0', family: 'heap', units: 2040 }, line: 5 },
      { command: { op: 'alloc', id: '1', family: 'heap', units: 2040 }, line: 6 },
      { command: { op: 'free', id: '1' }, line: 7 },
      { command: { op: 'alloc', id: '2', family: 'heap', units: 48 }, line: 8 },
      { command: { op: 'alloc', id: '3', family: 'heap', units: 4072 }, line: 9 },
      { command: { op: 'free', id: '3' }, line: 10 },
      { command: { op: 'alloc', id: '4', family: 'heap', units: 4072 }, line: 11 },
      { command: { op: 'free', id: '0' }, line: 12 },
      { command: { op: 'free', id: '2' }, line: 13 },
      { command: { op: 'alloc', id: '5', family: 'heap', units: 4072 }, line: 14 },
      { command: { op: 'free', id: '4' }, line: 15 },
      { command: { op: 'free', id: '5' }, line: 16 },
    ]);
  });

  it('realloc-oneline.rep under exact: reallocs stay in their family with units = ceil(n / size); above maxAlloc is large', async () => {
    const got = await readAll(join(FIXTURES, 'realloc-oneline.rep'), { families: 'exact', format: 'rep' });
    expect(got.map((c) => [c.line, c.command])).toEqual([
      [2, { op: 'register', family: 's1', size: 1 }],
      [2, { op: 'alloc', id: '0', family: 's1', units: 1 }],
      [3, { op: 'register', family: 's24', size: 24 }],
      [3, { op: 'alloc', id: '1', family: 's24', units: 1 }],
      [4, { op: 'realloc', id: '1', units: 5 }],
      [5, { op: 'realloc', id: '1', units: 209 }],
      [6, { op: 'register', family: 's4068', size: 4068 }],
      [6, { op: 'alloc', id: '2', family: 's4068', units: 1 }],
      [7, { op: 'register', family: 'large', size: 1 }],
      [7, { op: 'alloc', id: '3', family: 'large', units: 4069 }],
      [8, { op: 'realloc', id: '0', units: 8 }],
      [10, { op: 'free', id: '1' }],
      [11, { op: 'free', id: '3' }],
      [12, { op: 'realloc', id: '2', units: 1 }],
    ]);
  });

  it.each(MAPPINGS)('the hand-written fixtures run under --families %s with nothing rejected and invariants intact', async (families) => {
    for (const name of ['short1.rep', 'realloc-oneline.rep']) {
      const engine = new Engine(initialState({ layout: LAYOUTS.seed }));
      for (const { command } of await readAll(join(FIXTURES, name), { families })) {
        expect(engine.execute(command).filter((f) => f.type === 'Rejected')).toEqual([]);
      }
      expect(checkInvariants(engine.snapshot())).toEqual([]);
    }
  });
});

/**
 * A valgrind log as a malloc-lab trace: every allocation gets the next id, a realloc keeps
 * its block's id, sizes are the bytes (read under `single`, where units are bytes).
 */
async function valgrindToRep(file: string): Promise<string> {
  const parser = new ValgrindParser(file, new FamilyMapper('single', LAYOUTS.seed));
  const ids = new Map<string, number>();
  let nextId = 0;
  const ops: string[] = [];
  for await (const chunk of readLines(file)) {
    for (const { command } of parser.parse(chunk)) {
      const c = command as Command;
      if (c.op === 'alloc') {
        ids.set(c.id, nextId++);
        ops.push(`a ${ids.get(c.id)} ${c.units}`);
      } else if (c.op === 'realloc') {
        const k = ids.get(c.id)!;
        ids.delete(c.id);
        ids.set(c.to ?? c.id, k);
        ops.push(`r ${k} ${c.units}`);
      } else if (c.op === 'free') {
        ops.push(`f ${ids.get(c.id)}`);
        ids.delete(c.id);
      }
    }
  }
  return ['0', String(nextId), String(ops.length), '1', ...ops, ''].join('\n');
}

/** A fact without the names the trace chose (ids), to compare runs of one program under two naming schemes. */
function anonymous(fact: Fact): unknown {
  const { id: _id, from: _from, ...rest } = fact as Fact & { id?: string; from?: string };
  return rest;
}

describe('malloc-lab importer: a trace generated from a real log', () => {
  const log = join(SHARED, 'sort.valgrind.log');
  const rep = join(FIXTURES, 'sort.rep');

  it('sort.rep is what the converter makes of sort.valgrind.log', async () => {
    expect(readFileSync(rep, 'utf8')).toBe(await valgrindToRep(log));
  });

  it.each(MAPPINGS)('runs exactly like the log under --families %s: the same facts but for ids, the same statistics', async (families) => {
    const run = async (file: string) => {
      const engine = new Engine(initialState({ layout: LAYOUTS.lmm64 }));
      const facts: unknown[] = [];
      for (const { command } of await readAll(file, { families, layout: LAYOUTS.lmm64 })) facts.push(...engine.execute(command).map(anonymous));
      return { facts, state: engine.snapshot() };
    };
    const a = await run(log);
    const b = await run(rep);
    expect(b.facts).toEqual(a.facts);
    expect(statsOf(b.state)).toEqual(statsOf(a.state));
    expect(checkInvariants(b.state)).toEqual([]);
  });
});

describe('malloc-lab importer: malformed traces', () => {
  it.each([
    ['', 0, /^empty file/],
    ['20000\n6\n', 2, /header ends early: number of operations is missing/],
    ['20000 6 x 1\n', 1, /number of operations 'x' is not an integer/],
    ['1 2 3 4 5\n', 1, /four numbers, this line has more: '5'/],
    ['0 2 2 1\na 0 10\n', 2, /announces 2 operations, the file has 1: it was cut off/],
    ['0 2 1 1\nx 0 10\n', 2, /unknown malloc-lab operation 'x'/],
    ['0 2 1 1\na 0\n', 2, /expected 'a ID SIZE'/],
    ['0 2 1 1\na 0 -5\n', 2, /expected 'a ID SIZE'/],
    ['0 2 1 1\nr zero 5\n', 2, /expected 'r ID SIZE'/],
    ['0 2 1 1\na 0 10 7\n', 2, /expected 'a ID SIZE'/],
    ['0 2 1 1\nf\n', 2, /expected 'f ID'/],
    ['0 2 1 1\nf -2\n', 2, /expected 'f ID'/],
  ])('%j is an InputError at line %i', async (text, line, reason) => {
    const file = join(tmp, `bad-${line}.rep`);
    writeFileSync(file, text);
    const error = await readAll(file, { format: 'rep', displayName: 'bad.rep' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line).toBe(line);
    expect((error as InputError).message).toMatch(line > 0 ? new RegExp(`^bad\\.rep:${line}: `) : /^bad\.rep: /);
    expect((error as InputError).reason).toMatch(reason);
  });
});
