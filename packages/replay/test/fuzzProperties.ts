/**
 * Fuzz properties of every reader, shared by the test suite (`fuzzReaders.test.ts`, a few
 * thousand runs) and `pnpm fuzz` (scripts/fuzz.ts, as many as asked): whatever text or
 * bytes a reader is given — random strings, random bytes, lines built from the tokens of
 * its own format, valid files with random damage — it returns, or throws an InputError
 * naming the file with a one-line message. Never any other exception (a TypeError, a
 * RangeError, a FoldError leaking out of a fold), and never a hang (async properties run
 * under a time limit).
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, initialState, LAYOUTS, POLICIES, type Layout, type Policy } from '@lmm/core';
import {
  detectFormat,
  factLine,
  FamilyMapper,
  foldLog,
  headerLine,
  InputError,
  makeHeader,
  parseCommandLines,
  parseFact,
  parseHeader,
  readFactLog,
  readTrace,
  RepParser,
  ReplayLog,
  SeekableLog,
  ValgrindParser,
  type FamilyMapping,
  type LineChunk,
} from '@lmm/replay';

/** A property and the runs it gets in the test suite. */
export interface FuzzProperty {
  readonly name: string;
  readonly property: fc.IRawProperty<unknown>;
  /** Runs in the test suite (CI); `pnpm fuzz --runs N` runs it N times instead. */
  readonly runs: number;
}

/** Milliseconds one async run may take before it counts as a hang. */
export const HANG_MS = 10_000;

/**
 * How reads ended, counted by outcome: `ok`, or the start of the InputError's reason (its
 * words up to the first quote or number). `pnpm fuzz` prints it, to show which checks the
 * inputs reached.
 */
export const outcomes = new Map<string, number>();

function count(outcome: string): void {
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
}

/** Runs `f`; anything it throws must be an InputError with a one-line message naming `file`. */
export function onlyInputErrors(file: string, f: () => void): void {
  try {
    f();
    count('ok');
  } catch (e) {
    checkInputError(e, file);
  }
}

/** Awaits `p`; a rejection must be an InputError with a one-line message naming `file`. */
export async function onlyInputErrorsAsync(file: string, p: () => Promise<unknown>): Promise<void> {
  try {
    await p();
    count('ok');
  } catch (e) {
    checkInputError(e, file);
  }
}

function checkInputError(e: unknown, file: string): void {
  if (e instanceof InputError) count(e.reason.replace(/\s*(['"(`]|\s\d).*$/s, '').slice(0, 60));
  if (!(e instanceof InputError)) throw new Error(`not an InputError: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
  if (e.file !== file || !e.message.startsWith(`${file}`) || /[\r\n]/.test(e.message) || e.message.length > 400) {
    throw new Error(`badly formed InputError message: ${JSON.stringify(e.message.slice(0, 500))}`);
  }
}

const LAYOUT_CHOICES: readonly Layout[] = [LAYOUTS.seed, LAYOUTS.lmm64, LAYOUTS.lmm32, { pageSize: 256, pageHeaderSize: 8, metaSize: 16 }];
const layoutArb = fc.constantFrom(...LAYOUT_CHOICES);
const mappingArb = fc.constantFrom<FamilyMapping>('single', 'pow2', 'exact');
const policyArb = fc.constantFrom<Policy>(...POLICIES);

/** Any text: ASCII, full Unicode (lone surrogates included), and control characters. */
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), fc.string({ maxLength: 80 }));

/** Digits: small, huge (beyond 2^53), or with leading zeros. */
const digits = fc.oneof(
  fc.nat(5000).map(String),
  fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
  fc.nat(99).map((n) => `000${n}`),
);
const hex = fc.oneof(fc.constantFrom('0x0', '0x', '0', '(nil)', '0X1F'), fc.bigInt({ min: 0n, max: 2n ** 64n }).map((n) => `0x${n.toString(16)}`));

/** Lines of tokens: the pieces a format is made of, in any order, with some noise. */
function tokenLine(tokens: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.array(fc.oneof({ weight: 8, arbitrary: tokens }, { weight: 1, arbitrary: anyText }), { maxLength: 12 }).map((t) => t.join(''));
}

const valgrindToken = fc.oneof(
  fc.constantFrom('--7-- ', '==7== ', 'malloc', 'calloc', 'realloc', 'free', 'memalign', 'posix_memalign', '_Znwm', '_Znam', '_ZnwmSt11align_val_t', '_ZdlPv', '_ZdaPvm', 'malloc_usable_size', 'cfree', '(', ')', ',', ', ', ' = ', 'al ', 'size ', ' '),
  digits,
  hex,
);
const valgrindCall = fc.oneof(
  fc.tuple(fc.constantFrom('malloc', '_Znwm', 'calloc', 'memalign', 'realloc', 'free', '_ZdlPv'), fc.array(fc.oneof(digits, hex, fc.constant('al 16, size 8')), { minLength: 1, maxLength: 2 }), fc.option(hex)).map(
    ([f, args, res]) => `--7-- ${f}(${args.join(',')})${res === null ? '' : ` = ${res}`}`,
  ),
  tokenLine(valgrindToken),
);

const repToken = fc.oneof(fc.constantFrom('a ', 'r ', 'f ', '-1', ' ', '\t', '#', 'x'), digits);
const repLine = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('a', 'r', 'f'), fc.nat(9).map(String), fc.nat(9000).map(String)).map(([op, id, n]) => (op === 'f' ? `f ${id}` : `${op} ${id} ${n}`)) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('a', 'r', 'f'), digits, fc.option(digits)).map(([op, id, n]) => (n === null ? `${op} ${id}` : `${op} ${id} ${n}`)) },
  { weight: 1, arbitrary: tokenLine(repToken) },
);
/** A malloc-lab trace: mostly a header announcing as many operations as follow, sometimes random header numbers. */
const repTraceArb = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.array(digits, { maxLength: 5 }) }), fc.array(repLine, { maxLength: 12 })).map(([header, ops]) => [
  header === null ? `1000 10 ${ops.length} 1` : header.join(' '),
  ...ops,
]);

/** Lines cut into chunks at random places, as readLines would hand them over. */
function chunksOf(lines: readonly string[], cuts: readonly number[], unterminated: boolean): LineChunk[] {
  const out: LineChunk[] = [];
  let at = 0;
  for (const n of [...cuts, lines.length]) {
    if (at >= lines.length) break;
    const text = lines.slice(at, at + Math.max(1, n));
    at += text.length;
    out.push({ first: out.length === 0 ? 1 : out[out.length - 1]!.first + out[out.length - 1]!.text.length, text, unterminated: unterminated && at >= lines.length });
  }
  return out;
}
const cutsArb = fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 6 });

/** A small valid run as fact log lines (header first), from random commands over a few ids and families. */
const runArb = fc
  .record({
    layout: layoutArb,
    policy: policyArb,
    maxPages: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
    commands: fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('register'), family: fc.constantFrom('a', 'b', 'c'), size: fc.integer({ min: 1, max: 300 }) }),
        fc.record({ op: fc.constant('alloc'), id: fc.constantFrom('x', 'y', 'z', 'w'), family: fc.constantFrom('a', 'b', 'c'), units: fc.integer({ min: 1, max: 40 }) }),
        fc.record({ op: fc.constant('free'), id: fc.constantFrom('x', 'y', 'z', 'w') }),
        fc.record({ op: fc.constant('realloc'), id: fc.constantFrom('x', 'y', 'z', 'w'), units: fc.integer({ min: 1, max: 40 }), to: fc.constantFrom('x', 'y', 'z', 'w') }),
      ),
      { minLength: 1, maxLength: 25 },
    ),
  })
  .map(({ layout, policy, maxPages, commands }) => {
    const engine = new Engine(initialState({ layout, policy, maxPages }));
    const lines = [headerLine(makeHeader(layout, policy, maxPages))];
    commands.forEach((c, i) => {
      for (const f of engine.execute(c)) lines.push(factLine(lines.length, i + 1, f));
    });
    return lines;
  });

/** One random damage to a line of JSON: cut it, splice in noise, or replace a field's value with any JSON value. */
const lineDamage = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), del: fc.nat(6), text: anyText }),
  fc.record({ kind: fc.constant('field' as const), pick: fc.nat(), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(1e300, -1, 2 ** 53, 0.5, '', null, 'E_BAD_COMMAND')) }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
);
type LineDamage = typeof lineDamage extends fc.Arbitrary<infer T> ? T : never;

function damage(line: string, d: LineDamage): string {
  switch (d.kind) {
    case 'cut':
      return line.slice(0, d.at % (line.length + 1));
    case 'splice': {
      const at = d.at % (line.length + 1);
      return line.slice(0, at) + d.text + line.slice(at + d.del);
    }
    case 'field':
    case 'drop': {
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return line;
      }
      if (typeof obj !== 'object' || obj === null) return line;
      const keys = Object.keys(obj);
      if (keys.length === 0) return line;
      const key = keys[d.pick % keys.length]!;
      if (d.kind === 'drop') delete obj[key];
      else obj[key] = d.value;
      return JSON.stringify(obj);
    }
  }
}

/** A valid run's log lines with 1–3 damages (to lines, or lines dropped, repeated or swapped). */
const damagedLogArb = fc
  .tuple(
    runArb,
    fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ line: fc.nat(), damage: lineDamage }) },
        { weight: 1, arbitrary: fc.record({ line: fc.nat(), op: fc.constantFrom('delete' as const, 'repeat' as const, 'swap' as const) }) },
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([lines, damages]) => {
    const out = [...lines];
    for (const d of damages) {
      if (out.length === 0) break;
      const i = d.line % out.length;
      if ('damage' in d) out[i] = damage(out[i]!, d.damage);
      else if (d.op === 'delete') out.splice(i, 1);
      else if (d.op === 'repeat') out.splice(i, 0, out[i]!);
      else if (i + 1 < out.length) [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
    }
    return out;
  });

/** One change to the meaning of a fact log that keeps every line well formed. */
const meaningDamage = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('nudge' as const), fact: fc.nat(), field: fc.nat(), by: fc.integer({ min: -70, max: 70 }).filter((d) => d !== 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('borrow' as const), fact: fc.nat(), from: fc.nat(), field: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), fact: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('repeat' as const), fact: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap' as const), fact: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flag' as const), fact: fc.nat(), value: fc.constantFrom(true, undefined) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('header' as const), field: fc.constantFrom('maxPages', 'policy', 'layout'), pick: fc.nat() }) },
);

/**
 * A valid run's fact log changed in meaning — a number nudged, a value taken from another
 * fact, facts deleted, repeated or swapped, flags toggled, the header's options changed —
 * and renumbered (`seq` 1, 2, …), so every line is well formed and it is the fold that
 * must find what is wrong.
 */
const meaningDamagedLogArb = fc.tuple(runArb, fc.array(meaningDamage, { minLength: 1, maxLength: 3 })).map(([lines, damages]) => {
  const header = JSON.parse(lines[0]!) as Record<string, unknown>;
  const facts = lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const d of damages) {
    if (d.kind === 'header') {
      if (d.field === 'maxPages') header.maxPages = d.pick % 3 === 0 ? null : d.pick % 5;
      else if (d.field === 'policy') header.policy = POLICIES[d.pick % POLICIES.length];
      else header.layout = LAYOUT_CHOICES[d.pick % LAYOUT_CHOICES.length];
      continue;
    }
    if (facts.length === 0) break;
    const i = d.fact % facts.length;
    const f = facts[i]!;
    const fields = Object.keys(f).filter((k) => k !== 'seq' && k !== 'type' && k !== 'cmd');
    switch (d.kind) {
      case 'nudge': {
        const nums = fields.filter((k) => typeof f[k] === 'number');
        const k = nums[d.field % Math.max(1, nums.length)];
        if (k !== undefined) f[k] = Math.max(0, (f[k] as number) + d.by);
        else if (f.merged) f.merged = { ...(f.merged as object), size: Math.max(0, ((f.merged as { size: number }).size ?? 0) + d.by) };
        break;
      }
      case 'borrow': {
        const k = fields[d.field % Math.max(1, fields.length)];
        const other = facts[d.from % facts.length]!;
        if (k !== undefined && other[k] !== undefined) f[k] = other[k];
        break;
      }
      case 'delete':
        facts.splice(i, 1);
        break;
      case 'repeat':
        facts.splice(i, 0, { ...f });
        break;
      case 'swap':
        if (i + 1 < facts.length) [facts[i], facts[i + 1]] = [facts[i + 1]!, f];
        break;
      case 'flag':
        if (f.type === 'Allocated' || f.type === 'Freed') f.realloc = d.value;
        break;
    }
  }
  return [JSON.stringify(header), ...facts.map((f, i) => JSON.stringify({ ...f, seq: i + 1 }))];
});

/** A file's bytes: random bytes, random text, or a valid file of some format with damage; and how it ends. */
const fileBytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.array(anyText, { maxLength: 10 }).map((l) => Buffer.from(l.join('\n'))),
  fc.array(valgrindCall, { maxLength: 10 }).map((l) => Buffer.from(l.join('\n'))),
  repTraceArb.map((l) => Buffer.from(l.join('\n'))),
  damagedLogArb.map((l) => Buffer.from(l.join('\n'))),
  fc.tuple(damagedLogArb, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([l, at, bytes]) => {
    const b = Buffer.from(l.join('\n'));
    const i = at % (b.length + 1);
    return Buffer.concat([b.subarray(0, i), Buffer.from(bytes), b.subarray(i)]);
  }),
);
const endingArb = fc.constantFrom('', '\n', '\r\n', '\n\n');

/** Every reader on one file: each may return or throw an InputError naming `name`, nothing else. */
async function readAll(path: string, name: string, layout: Layout, families: FamilyMapping, chunkBytes: number): Promise<void> {
  for (const format of ['auto', 'jsonl', 'valgrind', 'rep'] as const) {
    await onlyInputErrorsAsync(name, async () => {
      for await (const _ of readTrace(path, { layout, format, families, displayName: name, chunkBytes }));
    });
  }
  await onlyInputErrorsAsync(name, async () => {
    for await (const _ of readFactLog(path, { displayName: name, chunkBytes }));
  });
  for (const strict of [false, true]) {
    await onlyInputErrorsAsync(name, () => foldLog(path, { displayName: name, chunkBytes, strict }));
  }
  await onlyInputErrorsAsync(name, () => ReplayLog.load(path, { displayName: name, chunkBytes, checkpointEvery: 3 }));
  await sameAsFoldLog(path, name, chunkBytes);
}

/** How reading a log ended: `ok` with its commands and warnings, or the error's message. */
async function outcome(read: (onWarning: (e: InputError) => void) => Promise<{ commands: number }>): Promise<string> {
  const warnings: string[] = [];
  try {
    const { commands } = await read((e) => warnings.push(e.message));
    return `ok ${commands} ${warnings.join(' | ')}`;
  } catch (e) {
    return e instanceof InputError ? `${e.message} | ${warnings.join(' | ')}` : `not an InputError: ${String(e)}`;
  }
}

/** Opening a log for seeking (building its index, in memory) accepts and refuses what `foldLog` does, with the same messages and warnings. */
async function sameAsFoldLog(path: string, name: string, chunkBytes: number): Promise<void> {
  for (const strict of [false, true]) {
    const folded = await outcome((onWarning) => foldLog(path, { displayName: name, chunkBytes, strict, onWarning }));
    const opened = await outcome(async (onWarning) => {
      const log = await SeekableLog.open(path, { displayName: name, chunkBytes, strict, onWarning, indexTo: 'memory', minCheckpointGap: 64, stride: 2, checkpointEvery: 2 });
      await log.close();
      return log;
    });
    if (opened !== folded) throw new Error(`SeekableLog.open: ${opened}\nfoldLog: ${folded}`);
  }
}

/** The reader properties; `dir` is a scratch directory for the file-based ones. */
export function readerProperties(dir: string): FuzzProperty[] {
  let n = 0;
  return [
    {
      name: 'command JSONL: any lines, in any chunks',
      runs: 3000,
      property: fc.property(fc.array(fc.oneof({ weight: 1, arbitrary: anyText }, { weight: 3, arbitrary: fc.json() }, { weight: 1, arbitrary: fc.json().map((j) => j.slice(0, -1)) }), { maxLength: 12 }), cutsArb, fc.boolean(), (lines, cuts, unterminated) => {
        for (const chunk of chunksOf(lines, cuts, unterminated)) onlyInputErrors('t', () => parseCommandLines(chunk, 't'));
      }),
    },
    {
      name: 'valgrind: lines of its tokens and of noise, under every mapping and layout',
      runs: 3000,
      property: fc.property(fc.array(valgrindCall, { maxLength: 12 }), cutsArb, mappingArb, layoutArb, (lines, cuts, mapping, layout) => {
        const parser = new ValgrindParser('t', new FamilyMapper(mapping, layout));
        onlyInputErrors('t', () => {
          for (const chunk of chunksOf(lines, cuts, false)) parser.parse(chunk);
          parser.end();
        });
      }),
    },
    {
      name: 'malloc-lab: headers and operations of its tokens and of noise',
      runs: 3000,
      property: fc.property(repTraceArb, cutsArb, mappingArb, layoutArb, (lines, cuts, mapping, layout) => {
        const parser = new RepParser('t', new FamilyMapper(mapping, layout));
        onlyInputErrors('t', () => {
          for (const chunk of chunksOf(lines, cuts, false)) parser.parse(chunk);
          parser.end();
        });
      }),
    },
    {
      name: 'format detection: any lines',
      runs: 2000,
      property: fc.property(fc.array(fc.oneof(anyText, valgrindCall, repLine, fc.json()), { maxLength: 6 }), (lines) => {
        onlyInputErrors('t', () => detectFormat({ first: 1, text: lines, unterminated: false }, 't'));
      }),
    },
    {
      name: 'fact log lines: damaged headers and facts, and any text',
      runs: 3000,
      property: fc.property(damagedLogArb, fc.array(anyText, { maxLength: 3 }), (lines, junk) => {
        onlyInputErrors('t', () => parseHeader(lines[0] ?? '', 't', 1));
        let seq = 1;
        let cmd = 1;
        for (const [i, line] of [...lines.slice(1), ...junk].entries()) {
          onlyInputErrors('t', () => {
            const f = parseFact(line, 't', i + 2, seq, cmd);
            seq++;
            cmd = f.cmd;
          });
        }
      }),
    },
    {
      name: 'every reader, from the file: random bytes, damaged files of every format, any line ends and chunk sizes',
      runs: 300,
      property: fc.asyncProperty(fileBytesArb, endingArb, fc.boolean(), fc.integer({ min: 4, max: 96 }), layoutArb, mappingArb, async (bytes, ending, crlf, chunkBytes, layout, families) => {
          const text = crlf ? Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1') : bytes;
          const path = join(dir, `fuzz-${process.pid}-${++n % 8}`);
          writeFileSync(path, Buffer.concat([text, Buffer.from(ending)]));
          await readAll(path, 'in', layout, families, chunkBytes);
        }),
    },
    {
      name: 'fact logs damaged in meaning (numbers, ids, order) fold, or fail with an InputError at a line',
      runs: 300,
      property: fc.asyncProperty(fc.oneof({ weight: 1, arbitrary: damagedLogArb }, { weight: 4, arbitrary: meaningDamagedLogArb }), fc.integer({ min: 16, max: 4096 }), async (lines, chunkBytes) => {
        const path = join(dir, `fold-${process.pid}-${++n % 8}`);
        writeFileSync(path, `${lines.join('\n')}\n`);
        for (const strict of [false, true]) await onlyInputErrorsAsync('in', () => foldLog(path, { displayName: 'in', chunkBytes, strict }));
        await onlyInputErrorsAsync('in', () => ReplayLog.load(path, { displayName: 'in', chunkBytes, checkpointEvery: 2 }));
        await sameAsFoldLog(path, 'in', chunkBytes);
      }),
    },
  ];
}
