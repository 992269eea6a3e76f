import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, LAYOUTS, type LoggedFact } from '@lmm/core';
import { makeHeader } from '@lmm/replay';
import { factArb, propertyRuns, scenarioArb } from '@lmm/testkit';
import { decodeRun } from '../src/model/decodeRun.js';
import { factAt } from '../src/model/factAt.js';
import { FactEncoder } from '../src/node/factEncoder.js';
import { encoded, lineOf, logScenario } from './support.js';

describe('varints', () => {
  it('read back every safe integer written, unsigned and zigzag, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.maxSafeNat(), fc.integer({ min: -(2 ** 52) + 1, max: 2 ** 52 - 1 }))), (values) => {
        const w = new ByteWriter();
        for (const [signed, u, s] of values) (signed ? w.int(s) : w.uint(u));
        const r = new ByteReader(w.bytes());
        for (const [signed, u, s] of values) expect(signed ? r.int() : r.uint()).toBe(signed ? s : u);
        expect(r.done).toBe(true);
      }),
    );
  });

  it('refuse what is not a safe integer and reading past the end', () => {
    expect(() => new ByteWriter().uint(-1)).toThrow(RangeError);
    expect(() => new ByteWriter().uint(2 ** 53)).toThrow(RangeError);
    expect(() => new ByteWriter().int(0.5)).toThrow(RangeError);
    expect(() => new ByteWriter().int(-(2 ** 52))).toThrow(RangeError);
    expect(() => new ByteReader(new Uint8Array([0x80])).uint()).toThrow(RangeError);
  });
});

describe('the compact fact encoding', () => {
  it('gives back every fact exactly as its log line had it', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 150 }), (s) => {
        const r = logScenario(s);
        const run = encoded(r);
        expect(run.count).toBe(r.facts.length);
        expect(run.commands).toBe(r.facts.at(-1)?.cmd ?? 0);
        expect(run.header).toEqual(r.header);
        r.facts.forEach((f, i) => expect(JSON.stringify(factAt(run, i))).toBe(lineOf(f)));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('gives back any fact of the schema with its keys in the same order, consistent with a heap or not', () => {
    // Integers below 2^40, so that differences of two stay within what a zigzag varint holds.
    const ints = fc.oneof(fc.nat({ max: 5000 }), fc.nat({ max: 2 ** 40 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(factArb({ ints }), fc.nat({ max: 2 })), { maxLength: 40 }), (drawn) => {
        let cmd = 1;
        const facts = drawn.map(([fact, step], i): LoggedFact => ({ ...fact, seq: i + 1, cmd: (cmd += step) }));
        const header = makeHeader(LAYOUTS.seed, 'best-fit', null);
        const run = encoded({ header, facts });
        facts.forEach((f, i) => expect(JSON.stringify(factAt(run, i))).toBe(lineOf(f)));
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('indexes the facts of each command', () => {
    fc.assert(
      fc.property(scenarioArb({ maxLength: 80 }), (s) => {
        const r = logScenario(s);
        const run = encoded(r);
        for (let c = 1; c <= run.commands; c++) {
          const want = r.facts.filter((f) => f.cmd === c).map((f) => f.seq - 1);
          const got = Array.from({ length: run.firstFact[c + 1]! - run.firstFact[c]! }, (_, k) => run.firstFact[c]! + k);
          expect(got).toEqual(want);
        }
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('keeps what a consistent log never has: a free that is not the id’s allocation, odd ids, gaps in command numbers', () => {
    const header = makeHeader(LAYOUTS.seed, 'best-fit', 3);
    const ids = ['a', '\ud800lone', 'é😀', '', '</script>'];
    const facts: LoggedFact[] = [
      { seq: 1, cmd: 1, type: 'Registered', family: 'f', size: 8 },
      { seq: 2, cmd: 4, type: 'PageRequest', family: 'f', page: 1, count: 1 },
      ...ids.map((id, i): LoggedFact => ({ seq: 3 + i, cmd: 5, type: 'Allocated', id, family: 'f', page: 1, offset: 36 * i, size: 8, units: 1, frag: 'none', gap: 0 })),
      { seq: 8, cmd: 6, type: 'Freed', id: 'a', family: 'g', page: 9, offset: 4000, size: 2, merged: { offset: 3000, size: 1 }, realloc: true },
      { seq: 9, cmd: 6, type: 'Allocated', id: 'é😀', family: 'f', page: 1, offset: 999, size: 3, units: 2, frag: 'large', gap: 5, realloc: true, from: 'new' },
      { seq: 10, cmd: 9, type: 'Rejected', command: { op: 'free', id: '</script>', n: [1, null] }, code: 'E_NOT_ALLOCATED', message: "id '</script>' is not allocated" },
      { seq: 11, cmd: 9, type: 'PageRelease', family: 'f', page: 1, count: 1 },
    ];
    const enc = new FactEncoder(header);
    for (const f of facts) enc.add(f);
    const run = decodeRun(enc.finish());
    facts.forEach((f, i) => expect(JSON.stringify(factAt(run, i))).toBe(lineOf(f)));
    expect(Array.from(run.firstFact)).toEqual([0, 0, 1, 1, 1, 2, 7, 9, 9, 9, 11]);
    expect(() => decodeRun(new Uint8Array([1, 2, 3]))).toThrow(/not an lmm viewer payload/);
  });
});
