/**
 * The valgrind importer: random logs of every line form give exactly the commands they
 * stand for, however the lines are chunked; the real logs of ../shared/traces and
 * test/fixtures/traces give exactly the call counts recorded for them (and valgrind's own
 * heap summary), and run under every family mapping with no rejection and every
 * invariant intact; malformed call lines are InputErrors naming file and line.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkInvariants, Engine, initialState, LAYOUTS, parseLayout, type Command, type Layout } from '@lmm/core';
import { FamilyMapper, InputError, readLines, readTrace, ValgrindParser, type FamilyMapping, type TraceCommand } from '@lmm/replay';
import { parseInChunks } from './parseInChunks.js';
import { propertyRuns } from '@lmm/testkit';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SHARED = join(ROOT, '..', 'shared', 'traces');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'traces');
const MAPPINGS: readonly FamilyMapping[] = ['single', 'pow2', 'exact'];

/** Parses lines cut into chunks at the given sizes (the rest in one chunk). */
function parseLines(lines: readonly string[], mapping: FamilyMapping = 'single', cuts: readonly number[] = [], layout: Layout = LAYOUTS.seed) {
  const parser = new ValgrindParser('t.log', new FamilyMapper(mapping, layout));
  return { commands: parseInChunks(parser, lines, cuts), counts: parser.counts };
}

// A random program: each step allocates, frees or moves one of its live blocks (or makes
// a call lmm skips), printed in one of the forms valgrind uses for it.
const stepArb = fc.oneof(
  fc.record({ k: fc.constant('alloc' as const), form: fc.constantFrom('malloc', 'calloc', 'reallocNull', 'memalign', '_Znwm', '_Znam', 'alignedNew', 'nothrowNew'), n: fc.nat(6000), m: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ k: fc.constant('free' as const), form: fc.constantFrom('free', '_ZdlPv', '_ZdlPvm', '_ZdaPv', 'reallocZero'), pick: fc.nat() }),
  fc.record({ k: fc.constant('realloc' as const), pick: fc.nat(), n: fc.nat(6000), inPlace: fc.boolean() }),
  fc.record({ k: fc.constantFrom('nullFree' as const, 'failed' as const, 'noise' as const, 'usable' as const) }),
);

interface Rendered {
  lines: string[];
  /** What the importer must make of them under `single`: ops with the bytes asked (register omitted). */
  expected: { op: string; id: string; bytes?: number; to?: string; line: number }[];
  nullFrees: number;
  failed: number;
}

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function render(steps: readonly Step[]): Rendered {
  const lines: string[] = ['==77== Memcheck, a memory error detector', '==77== Command: ./prog'];
  const expected: Rendered['expected'] = [];
  const live: string[] = [];
  let next = 0x4a40040;
  let nullFrees = 0;
  let failed = 0;
  const fresh = () => `0x${(next += 0x50).toString(16).toUpperCase()}`;
  const p = (s: string) => lines.push(`--77-- ${s}`);
  for (const s of steps) {
    switch (s.k) {
      case 'alloc': {
        const a = fresh();
        const n = s.form === 'calloc' ? s.n * s.m : s.n;
        const forms: Record<typeof s.form, string> = {
          malloc: `malloc(${n}) = ${a}`,
          calloc: `calloc(${s.n},${s.m}) = ${a}`,
          reallocNull: `realloc(0x0,${n})malloc(${n}) = ${a}`,
          memalign: `memalign(al 64, size ${n}) = ${a}`,
          _Znwm: `_Znwm(${n}) = ${a}`,
          _Znam: `_Znam(${n}) = ${a}`,
          alignedNew: `_ZnwmSt11align_val_t(size ${n}, al 64) = ${a}`,
          nothrowNew: `_ZnamRKSt9nothrow_t(${n}) = ${a}`,
        };
        p(forms[s.form]);
        expected.push({ op: 'alloc', id: a.toLowerCase(), bytes: n, line: lines.length });
        live.push(a);
        break;
      }
      case 'free': {
        if (live.length === 0) break;
        const [a] = live.splice(s.pick % live.length, 1) as [string];
        if (s.form === 'reallocZero') {
          p(`realloc(${a},0)free(${a})`);
          expected.push({ op: 'free', id: a.toLowerCase(), line: lines.length });
          p(' = 0');
        } else {
          p(`${s.form}(${a})`);
          expected.push({ op: 'free', id: a.toLowerCase(), line: lines.length });
        }
        break;
      }
      case 'realloc': {
        if (live.length === 0) break;
        const i = s.pick % live.length;
        const a = live[i]!;
        const b = s.inPlace ? a : fresh();
        live[i] = b;
        p(`realloc(${a},${s.n}) = ${b}`);
        expected.push({ op: 'realloc', id: a.toLowerCase(), bytes: s.n, to: b.toLowerCase(), line: lines.length });
        break;
      }
      case 'nullFree':
        p('free(0x0)');
        nullFrees++;
        break;
      case 'failed':
        p('malloc(4611686018427387904) = 0x0');
        failed++;
        break;
      case 'noise':
        lines.push('==77== HEAP SUMMARY:', '--77-- Reading syms from /usr/lib/x86_64-linux-gnu/libc.so.6', '');
        break;
      case 'usable':
        if (live.length > 0) p(`malloc_usable_size(${live[0]}) = 24`);
        break;
    }
  }
  return { lines, expected, nullFrees, failed };
}

describe('valgrind importer: random logs', () => {
  it('gives one command per call that took effect, in order, with its line, however the lines are chunked', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 30 }), (steps, cuts) => {
        const r = render(steps);
        const { commands, counts } = parseLines(r.lines, 'single', cuts);
        const got = commands
          .filter((c) => (c.command as Command).op !== 'register')
          .map(({ command, line }) => {
            const c = command as Command;
            switch (c.op) {
              case 'alloc':
                return { op: 'alloc', id: c.id, bytes: c.units, line };
              case 'realloc':
                return { op: 'realloc', id: c.id, bytes: c.units, to: c.to ?? c.id, line };
              default:
                return { op: c.op, id: (c as { id: string }).id, line };
            }
          });
        // `single`: units are the bytes, 0 counting as 1.
        expect(got).toEqual(r.expected.map((e) => (e.bytes === undefined ? e : { ...e, bytes: Math.max(e.bytes, 1) })));
        expect(counts.nullFrees).toBe(r.nullFrees);
        expect(counts.failed).toBe(r.failed);
        const registers = commands.filter((c) => (c.command as Command).op === 'register');
        expect(registers.map((c) => c.command)).toEqual(r.expected.some((e) => e.op === 'alloc') ? [{ op: 'register', family: 'heap', size: 1 }] : []);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('valgrind importer: line forms', () => {
  it('reads every form SPEC §4 lists, and skips free(0x0) and ==PID== lines', () => {
    const { commands, counts } = parseLines([
      '==9== Memcheck, a memory error detector',
      '--9-- malloc(16) = 0x4A40040',
      '--9-- calloc(3,7) = 0x4A400A0',
      '--9-- realloc(0x0,24)malloc(24) = 0x4A40100',
      '--9-- realloc(0x4A40100,5000) = 0x4A50000',
      '--9-- realloc(0x4A400A0,0)free(0x4A400A0)',
      '--9--  = 0',
      '--9-- free(0x0)',
      '--9-- _Znwm(40) = 0x4A60000',
      '--9-- _Znam(0) = 0x4A60100',
      '--9-- memalign(al 64, size 100) = 0x4A60200',
      '--9-- _ZdlPv(0x4A60000)',
      '--9-- _ZdlPvm(0x4A60200)',
      '--9-- _ZdaPv(0x4A60100)',
      '--9-- free(0x4A40040)',
      '==9== malloc(16) = 0x1 is what valgrind says here, and it is ignored',
    ]);
    expect(commands).toEqual([
      { command: { op: 'register', family: 'heap', size: 1 }, line: 2 },
      { command: { op: 'alloc', id: '0x4a40040', family: 'heap', units: 16 }, line: 2 },
      { command: { op: 'alloc', id: '0x4a400a0', family: 'heap', units: 21 }, line: 3 },
      { command: { op: 'alloc', id: '0x4a40100', family: 'heap', units: 24 }, line: 4 },
      { command: { op: 'realloc', id: '0x4a40100', units: 5000, to: '0x4a50000' }, line: 5 },
      { command: { op: 'free', id: '0x4a400a0' }, line: 6 },
      { command: { op: 'alloc', id: '0x4a60000', family: 'heap', units: 40 }, line: 9 },
      { command: { op: 'alloc', id: '0x4a60100', family: 'heap', units: 1 }, line: 10 },
      { command: { op: 'alloc', id: '0x4a60200', family: 'heap', units: 100 }, line: 11 },
      { command: { op: 'free', id: '0x4a60000' }, line: 12 },
      { command: { op: 'free', id: '0x4a60200' }, line: 13 },
      { command: { op: 'free', id: '0x4a60100' }, line: 14 },
      { command: { op: 'free', id: '0x4a40040' }, line: 15 },
    ]);
    expect(counts).toEqual({ calls: { malloc: 1, calloc: 1, realloc: 3, free: 1, _Znwm: 1, _Znam: 1, memalign: 1, _ZdlPv: 1, _ZdlPvm: 1, _ZdaPv: 1 }, nullFrees: 1, failed: 0 });
  });

  it('skips failed allocations: a null result, an overflowing calloc (no result, the next call on its line), a failed realloc', () => {
    const { commands, counts } = parseLines([
      '--9-- malloc(8) = 0x10',
      '--9-- malloc(4611686018427387904) = 0x0',
      '--9-- calloc(1099511627776,1099511627776)calloc(3,7) = 0x20',
      '--9-- realloc(0x10,4611686018427387904) = 0x0',
      '--9-- realloc(0x20,0) = 0x0',
    ]);
    expect(commands.map((c) => c.command)).toEqual([
      { op: 'register', family: 'heap', size: 1 },
      { op: 'alloc', id: '0x10', family: 'heap', units: 8 },
      { op: 'alloc', id: '0x20', family: 'heap', units: 21 },
      // valgrind ≥ 3.20 prints realloc(p,0) with its result: a free when it is null.
      { op: 'free', id: '0x20' },
    ]);
    expect(counts.failed).toBe(3);
  });

  it('keeps a realloc in the block family with units = ceil(n / size), and sends requests above maxAlloc to large', () => {
    const lines = ['--9-- malloc(24) = 0x10', '--9-- realloc(0x10,100) = 0x20', '--9-- malloc(5000) = 0x30', '--9-- realloc(0x30,10) = 0x40', '--9-- realloc(0x40,0) = 0x50'];
    expect(parseLines(lines, 'exact').commands.map((c) => c.command)).toEqual([
      { op: 'register', family: 's24', size: 24 },
      { op: 'alloc', id: '0x10', family: 's24', units: 1 },
      { op: 'realloc', id: '0x10', units: 5, to: '0x20' },
      { op: 'register', family: 'large', size: 1 },
      { op: 'alloc', id: '0x30', family: 'large', units: 5000 },
      { op: 'realloc', id: '0x30', units: 10, to: '0x40' },
      { op: 'realloc', id: '0x40', units: 1, to: '0x50' },
    ]);
    expect(parseLines(lines, 'pow2').commands.map((c) => c.command)).toEqual([
      { op: 'register', family: 'c32', size: 32 },
      { op: 'alloc', id: '0x10', family: 'c32', units: 1 },
      { op: 'realloc', id: '0x10', units: 4, to: '0x20' },
      { op: 'register', family: 'large', size: 1 },
      { op: 'alloc', id: '0x30', family: 'large', units: 5000 },
      { op: 'realloc', id: '0x30', units: 10, to: '0x40' },
      { op: 'realloc', id: '0x40', units: 1, to: '0x50' },
    ]);
  });

  it('pow2 on a layout with small pages registers only the classes that fit one page', () => {
    const layout = parseLayout('256:0:28') as Layout; // maxAlloc 228: classes up to c128
    const { commands } = parseLines(['--9-- malloc(100) = 0x10', '--9-- malloc(129) = 0x20', '--9-- malloc(3) = 0x30'], 'pow2', [], layout);
    expect(commands.map((c) => c.command)).toEqual([
      { op: 'register', family: 'c128', size: 128 },
      { op: 'alloc', id: '0x10', family: 'c128', units: 1 },
      { op: 'register', family: 'large', size: 1 },
      { op: 'alloc', id: '0x20', family: 'large', units: 129 },
      { op: 'register', family: 'c8', size: 8 },
      { op: 'alloc', id: '0x30', family: 'c8', units: 1 },
    ]);
  });

  it.each([
    ['--9-- malloc(abc) = 0x10', /malloc: cannot read the size/],
    ['--9-- malloc(16) = banana', /cannot read this allocator call/],
    ['--9-- malloc(16) = 42', /'42' is not an address/],
    ['--9-- malloc(16)', /malloc has no result/],
    ['--9-- _Znwm(12 = 0x10', /cannot read this allocator call/],
    ['--9-- calloc(3) = 0x10', /calloc: cannot read the size/],
    ['--9-- memalign(16, 32) = 0x10', /memalign: cannot read the size/],
    ['--9-- free(xyz)', /free: 'xyz' is not an address/],
    ['--9-- free(0x10) = 0x0', /free returns nothing/],
    ['--9-- realloc(0x10) = 0x20', /realloc: '0x10' is not \(address,size\)/],
    ['--9-- realloc(0x10,5)', /realloc has no result/],
    ['--9-- realloc(0x0,5)bogus(5) = 0x20', /unknown allocator function 'bogus'/],
    ['--9-- malloc(16) = 0x10 and more', /cannot read this allocator call/],
    ['free(nope)', /free: 'nope' is not an address/],
  ])('%s is an InputError at its line', (bad, reason) => {
    const lines = ['==9== Memcheck', '--9-- malloc(1) = 0x1', bad, '--9-- free(0x1)'];
    let error: unknown;
    try {
      parseLines(lines);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line).toBe(3);
    expect((error as InputError).file).toBe('t.log');
    expect((error as InputError).message).toMatch(/^t\.log:3: /);
    expect((error as InputError).reason).toMatch(reason);
  });

  it('ignores lines that are not allocator calls', () => {
    const { commands } = parseLines(['--9-- Reading syms from /lib/ld.so', '--9--  = 0', 'mallocator(3) = 0x1', 'malloc_stats() says hi', 'hello world', '==9== free(0x10)']);
    expect(commands).toEqual([]);
  });
});

/** The shared traces' counts (../shared/traces/README.md) and ours (test/fixtures/traces/README.md). */
const LOGS: { file: string; calls: Record<string, number>; nullFrees: number; failed: number }[] = [
  { file: join(SHARED, 'sort.valgrind.log'), calls: { malloc: 216, free: 69, realloc: 6, calloc: 1 }, nullFrees: 6, failed: 0 },
  { file: join(SHARED, 'gcc-driver.valgrind.log'), calls: { malloc: 246, free: 154, realloc: 14, calloc: 7 }, nullFrees: 14, failed: 0 },
  { file: join(SHARED, 'gcc-as.valgrind.log'), calls: { malloc: 419, free: 184, realloc: 3, calloc: 130 }, nullFrees: 769, failed: 0 },
  { file: join(SHARED, 'python-json-pymalloc.valgrind.log'), calls: { malloc: 1594, free: 1672, realloc: 359, calloc: 95 }, nullFrees: 232, failed: 0 },
  { file: join(FIXTURES, 'ls-la.valgrind.log'), calls: { malloc: 2191, calloc: 1132, realloc: 10, free: 1631 }, nullFrees: 81, failed: 0 },
  { file: join(FIXTURES, 'find.valgrind.log'), calls: { malloc: 292, calloc: 12, realloc: 4, free: 151 }, nullFrees: 43, failed: 0 },
  {
    file: join(FIXTURES, 'apt-cache-version.valgrind.log'),
    calls: { malloc: 465, calloc: 25, realloc: 68, free: 364, _Znwm: 5261, _Znam: 131, _ZdlPvm: 4754, _ZdlPv: 195, _ZdaPv: 120 },
    nullFrees: 229,
    failed: 0,
  },
  {
    file: join(FIXTURES, 'cxx-forms.valgrind.log'),
    calls: { malloc: 3, calloc: 1, realloc: 3, free: 6, memalign: 4, _Znwm: 1, _Znam: 1, _ZnwmRKSt9nothrow_t: 1, _ZnwmSt11align_val_t: 1, _ZdlPvm: 2, _ZdaPv: 1, _ZdlPvmSt11align_val_t: 1 },
    nullFrees: 1,
    failed: 3,
  },
];

const FREES = /^(free|cfree|_Zd)/;

async function importLog(file: string, mapping: FamilyMapping, layout: Layout) {
  const parser = new ValgrindParser(file, new FamilyMapper(mapping, layout));
  const commands: TraceCommand[] = [];
  for await (const chunk of readLines(file)) commands.push(...parser.parse(chunk));
  return { parser, commands };
}

describe.each(LOGS)('real log $file', ({ file, calls, nullFrees, failed }) => {
  it('has exactly the recorded calls, and agrees with valgrind’s own heap summary', async () => {
    const { parser, commands } = await importLog(file, 'single', LAYOUTS.seed);
    expect(parser.counts).toEqual({ calls, nullFrees, failed });
    const ops = (op: string) => commands.filter((c) => (c.command as Command).op === op).length;
    const sum = (pred: (name: string) => boolean) => Object.entries(calls).reduce((n, [name, k]) => n + (pred(name) ? k : 0), 0);
    // valgrind counts every allocating call and every realloc as an alloc, and every free plus every moving realloc as a free.
    const summary = /total heap usage: ([\d,]+) allocs, ([\d,]+) frees/.exec(readFileSync(file, 'utf8'));
    const num = (s: string) => Number(s.replaceAll(',', ''));
    if (failed === 0) {
      expect(sum((n) => !FREES.test(n))).toBe(num(summary![1]!));
      expect(sum((n) => FREES.test(n)) + ops('realloc')).toBe(num(summary![2]!));
    }
    expect(ops('alloc') + ops('free') + ops('realloc')).toBe(sum(() => true));
  });

  it.each(MAPPINGS)('runs under --families %s on seed and a 256-byte-page layout: nothing rejected, invariants hold, the importer remembers exactly the live ids', async (mapping) => {
    for (const layout of [LAYOUTS.seed, parseLayout('256:8:24') as Layout]) {
      const engine = new Engine(initialState({ layout }));
      const mapper = new FamilyMapper(mapping, layout);
      const parser = new ValgrindParser(file, mapper);
      for await (const chunk of readLines(file)) {
        for (const { command, line } of parser.parse(chunk)) {
          const facts = engine.execute(command);
          const rejected = facts.find((f) => f.type === 'Rejected');
          expect(rejected, `${file}:${line}`).toBeUndefined();
        }
      }
      const state = engine.snapshot();
      expect(checkInvariants(state)).toEqual([]);
      expect(mapper.liveCount).toBe(state.live.size);
    }
  });
});

describe('readTrace on valgrind logs', () => {
  it('reads them with --format valgrind and auto alike, in any chunk size', async () => {
    const file = join(SHARED, 'sort.valgrind.log');
    const all = async (options: Parameters<typeof readTrace>[1]) => {
      const out: TraceCommand[] = [];
      for await (const batch of readTrace(file, options)) out.push(...batch);
      return out;
    };
    const expected = (await importLog(file, 'pow2', LAYOUTS.lmm64)).commands;
    expect(await all({ layout: LAYOUTS.lmm64, families: 'pow2', format: 'valgrind' })).toEqual(expected);
    expect(await all({ layout: LAYOUTS.lmm64, families: 'pow2' })).toEqual(expected);
    expect(await all({ layout: LAYOUTS.lmm64, families: 'pow2', chunkBytes: 97 })).toEqual(expected);
  });
});
