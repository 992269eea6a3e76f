/**
 * The fact-log writer's byte encoder is held to `factLine` (JSON.stringify): the same bytes
 * for every fact of the schema, or a hand-over to `factLine`; the writer gives the same log
 * into a byte sink as into a line sink.
 */
import fc from 'fast-check';
import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { FACT_FIELDS, FACT_TYPES, initialState, type Fact } from '@lmm/core';
import { runCommands } from '@lmm/events';
import { encodeFactLine, FACT_LINE_ROOM, factLine, FactLogWriter, isByteSink, makeHeader, type ByteSink, type LineSink } from '@lmm/replay';
import { factArb, factIntArb, propertyRuns, scenarioArb } from '@lmm/testkit';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Encodes a fact at `at` of a buffer of noise; the bytes written, or undefined when left to factLine. */
function encoded(seq: number, cmd: number, fact: Fact, at = 0): Buffer | undefined {
  const buf = Buffer.alloc(at + FACT_LINE_ROOM, 0xa5);
  const end = encodeFactLine(buf, at, at + FACT_LINE_ROOM, seq, cmd, fact);
  return end < 0 ? undefined : buf.subarray(at, end);
}

describe('encodeFactLine', () => {
  it('writes exactly factLine and a line end, or leaves the fact to factLine, whatever the strings (quotes, backslashes, control characters, non-ASCII, lone surrogates)', () => {
    fc.assert(
      fc.property(factIntArb, factIntArb, factArb(), fc.nat({ max: 64 }), (seq, cmd, fact, at) => {
        const bytes = encoded(seq, cmd, fact, at);
        if (bytes !== undefined) expect(bytes.toString('latin1')).toBe(utf8(`${factLine(seq, cmd, fact)}\n`).toString('latin1'));
      }),
      { numRuns: propertyRuns(3000) },
    );
  });

  it('takes every fact of the schema, whatever its strings and rejected command', () => {
    fc.assert(
      fc.property(factIntArb, factIntArb, factArb(), (seq, cmd, fact) => {
        expect(encoded(seq, cmd, fact)?.toString('latin1')).toBe(utf8(`${factLine(seq, cmd, fact)}\n`).toString('latin1'));
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  it('leaves to factLine: numbers that are not integers from 0 to 2^53 − 1, values of another kind, a command JSON cannot write, strings too long for the room', () => {
    const rejected: Fact = { type: 'Rejected', command: { op: 'free' }, code: 'E_NOT_ALLOCATED', message: 'm' };
    expect(encoded(1, 1, { ...rejected, command: undefined })).toBeUndefined();
    expect(encoded(1, 1, { ...rejected, command: 'x'.repeat(FACT_LINE_ROOM) })).toBeUndefined();
    expect(encoded(1, 1, { ...rejected, command: [1, -0, null, 'é'] })?.toString()).toBe(`${factLine(1, 1, { ...rejected, command: [1, -0, null, 'é'] })}\n`);
    const alloc: Fact = { type: 'Allocated', id: 'a', family: 'f', page: 1, offset: 0, size: 8, units: 1, frag: 'none', gap: 0 };
    for (const bad of [-1, 0.5, NaN, Infinity, 2 ** 53, 1e21, '1', null]) {
      expect(encoded(1, 1, { ...alloc, size: bad } as unknown as Fact)).toBeUndefined();
      expect(encoded(bad as number, 1, alloc)).toBeUndefined();
      expect(encoded(1, bad as number, alloc)).toBeUndefined();
    }
    expect(encoded(1, 1, { ...alloc, frag: 'some' } as unknown as Fact)).toBeUndefined();
    expect(encoded(1, 1, { ...alloc, realloc: false } as unknown as Fact)).toBeUndefined();
    expect(encoded(1, 1, { ...alloc, from: 7 } as unknown as Fact)).toBeUndefined();
    expect(encoded(1, 1, { ...alloc, id: 'x'.repeat(FACT_LINE_ROOM) })).toBeUndefined();
    expect(encoded(1, 1, { ...alloc, id: 'x'.repeat(FACT_LINE_ROOM - 200) })).toBeDefined();
    // A string that escapes to more than the room (each control character takes six bytes).
    expect(encoded(1, 1, { ...alloc, id: '\u0001'.repeat(FACT_LINE_ROOM / 4) })).toBeUndefined();
    expect(encoded(1, 1, { ...alloc, id: '€'.repeat(FACT_LINE_ROOM / 2) })).toBeUndefined();
    expect(encoded(1, 1, { type: 'Freed', id: 'a', family: 'f', page: 1, offset: 0, size: 8, merged: null } as unknown as Fact)).toBeUndefined();
    // -0 is written as JSON writes it: 0.
    expect(encoded(1, 1, { ...alloc, gap: -0 })?.toString()).toBe(`${factLine(1, 1, alloc)}\n`);
  });

  it('writes every field of the schema (a field added to the table and not to the encoder fails here)', () => {
    for (const type of FACT_TYPES) {
      const fact = fc.sample(factArb({ types: [type] }), { numRuns: 50, seed: 1 }).find((f) => FACT_FIELDS[type].every((x) => x.name in f));
      expect(fact, type).toBeDefined();
      const line = JSON.parse(encoded(1, 1, fact!)!.toString()) as Record<string, unknown>;
      expect(Object.keys(line)).toEqual(['seq', 'cmd', 'type', ...FACT_FIELDS[type].map((f) => f.name)]);
    }
  });
});

/** A byte sink over a small buffer, so writing a run fills and empties it many times. */
class MemoryByteSink implements ByteSink {
  readonly buffer: Uint8Array;
  private used = 0;
  private readonly parts: Buffer[] = [];
  constructor(size: number) {
    this.buffer = new Uint8Array(size);
  }
  line(text: string): void {
    this.flush();
    this.parts.push(utf8(`${text}\n`));
  }
  room(n: number): number {
    if (this.used + n > this.buffer.length) this.flush();
    return this.used;
  }
  wrote(end: number): void {
    this.used = end;
  }
  private flush(): void {
    this.parts.push(Buffer.from(this.buffer.subarray(0, this.used)));
    this.used = 0;
  }
  bytes(): Buffer {
    this.flush();
    return Buffer.concat(this.parts);
  }
}

describe('FactLogWriter', () => {
  it('writes the same log into a byte sink as line by line, whatever the ids (quotes, control characters, non-ASCII)', () => {
    const idArb = fc.oneof(fc.constantFrom('a', 'b', 'c"', 'd\\', 'e\n', 'é', '𝄞', '\ud800'), fc.string({ unit: 'binary', maxLength: 4 }));
    fc.assert(
      fc.property(scenarioArb(), fc.array(idArb, { minLength: 8, maxLength: 8 }), fc.integer({ min: 1, max: 3 }), ({ options, commands }, names, rooms) => {
        // Rename the scenario's ids and families to awkward strings.
        const rename = (v: unknown): unknown => (typeof v === 'string' ? `${names[v.length % names.length]}${v}` : v);
        const renamed = commands.map((c) => (typeof c === 'object' && c !== null ? Object.fromEntries(Object.entries(c).map(([k, v]) => [k, k === 'op' ? v : rename(v)])) : c));
        const header = makeHeader(options.layout, options.policy, options.maxPages ?? null);
        const lines: string[] = [];
        const sink = new MemoryByteSink(rooms * FACT_LINE_ROOM);
        const byLine = new FactLogWriter({ line: (t) => void lines.push(t) }, header);
        const byBytes = new FactLogWriter(sink, header);
        of(renamed.map((command, i) => ({ command, line: i + 1 })))
          .pipe(runCommands(initialState(options)))
          .subscribe((batch) => {
            byLine.next(batch);
            byBytes.next(batch);
          });
        expect(sink.bytes().toString('latin1')).toBe(utf8(lines.map((l) => `${l}\n`).join('')).toString('latin1'));
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('tells a byte sink from a line sink', () => {
    const lineSink: LineSink = { line: () => undefined };
    expect(isByteSink(lineSink)).toBe(false);
    expect(isByteSink(new MemoryByteSink(16))).toBe(true);
  });
});
