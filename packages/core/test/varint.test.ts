/**
 * ByteWriter and ByteReader: the varints (LEB128, 7 bits a byte, low bits first, the high bit
 * set on every byte but the last), zigzag signed integers, strings as UTF-16 code units and
 * raw bytes that the index's checkpoints and the viewer's fact columns are made of. Expected
 * bytes are worked out by hand: 300 = 0b10_0101100 → 0xac (0x2c with the high bit), 0x02.
 * A reader of a file someone else may have written must refuse what no writer makes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '@lmm/core';
import { propertyRuns } from '@lmm/testkit';
import { hex } from './support.js';


function written(f: (w: ByteWriter) => void, capacity?: number): Uint8Array {
  const w = capacity === undefined ? new ByteWriter() : new ByteWriter(capacity);
  f(w);
  expect(w.length).toBe(w.bytes().length);
  return w.bytes();
}

const reader = (...bytes: number[]) => new ByteReader(Uint8Array.from(bytes));

describe('ByteWriter.uint / ByteReader.uint', () => {
  it.each<[number, string]>([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '80 01'],
    [300, 'ac 02'],
    [16383, 'ff 7f'],
    [16384, '80 80 01'],
    [2 ** 31 - 1, 'ff ff ff ff 07'],
    [2 ** 32 - 1, 'ff ff ff ff 0f'],
    // Past 32 bits: 2^32 is 4 × 2^30 = 4 in the fifth group of 7 bits (bits 28–34: 2^32 = 16 · 2^28).
    [2 ** 32, '80 80 80 80 10'],
    [2 ** 35, '80 80 80 80 80 01'],
    // 2^53 − 1: 53 one bits, 7 groups of 7 and 4 left over: ff × 7, 0f.
    [Number.MAX_SAFE_INTEGER, 'ff ff ff ff ff ff ff 0f'],
  ])('%d is written as %s and read back', (n, bytes) => {
    const b = written((w) => w.uint(n));
    expect(hex(b)).toBe(bytes);
    const r = new ByteReader(b);
    expect(r.uint()).toBe(n);
    expect(r.done).toBe(true);
  });

  it.each([-1, 0.5, 2 ** 53, Number.NaN, Infinity, -(2 ** 40)])('refuses %d (not a non-negative safe integer) and writes nothing', (n) => {
    const w = new ByteWriter();
    expect(() => w.uint(n)).toThrow(new RangeError(`varint: ${n} is not a non-negative safe integer`));
    expect(w.length).toBe(0);
  });

  it('property: any non-negative safe integer round-trips, in as few bytes as its bits need (1 per 7)', () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeNat(), { maxLength: 20 }), (ns) => {
        const b = written((w) => ns.forEach((n) => w.uint(n)), 16);
        expect(b.length).toBe(ns.reduce((s, n) => s + Math.max(1, Math.ceil(n.toString(2).length / 7)), 0));
        const r = new ByteReader(b);
        expect(ns.map(() => r.uint())).toEqual(ns);
        expect(r.done).toBe(true);
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('refuses bytes no writer makes: an end mid-varint, more than 8 bytes, a value past 2^53 − 1', () => {
    expect(() => reader().uint()).toThrow(new RangeError('varint: read past the end'));
    expect(() => reader(0x80).uint()).toThrow(new RangeError('varint: read past the end'));
    expect(() => reader(0xff, 0xff).uint()).toThrow(new RangeError('varint: read past the end'));
    // Nine bytes with the high bit on the first eight: more than any safe integer takes.
    expect(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01).uint()).toThrow(new RangeError('varint: malformed at byte 8'));
    // Eight bytes whose last has a bit past 2^53: 0x10 in the eighth group is 2^53.
    expect(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10).uint()).toThrow(new RangeError('varint: malformed at byte 8'));
    // The largest eight-byte value that is safe reads.
    expect(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f).uint()).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('reads values one after another, at the offsets they start at', () => {
    const r = new ByteReader(Uint8Array.from([9, 0x05, 0xac, 0x02, 0x7f]), 1);
    expect([r.offset, r.remaining, r.done]).toEqual([1, 4, false]);
    expect(r.uint()).toBe(5);
    expect([r.offset, r.remaining]).toEqual([2, 3]);
    expect(r.uint()).toBe(300);
    expect([r.offset, r.remaining, r.done]).toEqual([4, 1, false]);
    expect(r.uint()).toBe(127);
    expect([r.offset, r.remaining, r.done]).toEqual([5, 0, true]);
  });
});

describe('ByteWriter.int / ByteReader.int (zigzag)', () => {
  it.each<[number, string]>([
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-2, '03'],
    [63, '7e'],
    [-64, '7f'],
    [64, '80 01'],
    [-65, '81 01'],
    // 2^52 − 1 → 2^53 − 2; −(2^52 − 1) → 2^53 − 3.
    [2 ** 52 - 1, 'fe ff ff ff ff ff ff 0f'],
    [-(2 ** 52 - 1), 'fd ff ff ff ff ff ff 0f'],
  ])('%d is written as %s and read back', (n, bytes) => {
    const b = written((w) => w.int(n));
    expect(hex(b)).toBe(bytes);
    expect(new ByteReader(b).int()).toBe(n);
  });

  it.each([2 ** 52, -(2 ** 52), 1.5, Number.NaN])('refuses %d (not an integer of magnitude below 2^52)', (n) => {
    expect(() => new ByteWriter().int(n)).toThrow(new RangeError(`varint: ${n} is not an integer of magnitude below 2^52`));
  });

  it('property: any integer of magnitude below 2^52 round-trips', () => {
    const arb = fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).chain((small) => fc.constantFrom(small, small * 2 ** 20 + 1, -(2 ** 52) + 1 + Math.abs(small)));
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 20 }), (ns) => {
        const r = new ByteReader(written((w) => ns.forEach((n) => w.int(n))));
        expect(ns.map(() => r.int())).toEqual(ns);
        expect(r.done).toBe(true);
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

describe('bytes and raw bytes', () => {
  it('byte writes the low 8 bits; take hands back views of the next bytes', () => {
    const b = written((w) => {
      w.byte(0x1ff);
      w.raw(Uint8Array.from([1, 2, 3]));
      w.byte(7);
    });
    expect(hex(b)).toBe('ff 01 02 03 07');
    const r = new ByteReader(b);
    expect(r.byte()).toBe(0xff);
    expect([...r.take(3)]).toEqual([1, 2, 3]);
    expect(r.offset).toBe(4);
    expect([...r.take(0)]).toEqual([]);
    expect(r.byte()).toBe(7);
    expect(() => r.byte()).toThrow(new RangeError('byte: read past the end'));
  });

  it('take refuses a count past the end or below 0, and moves nothing then', () => {
    const r = reader(1, 2, 3);
    r.byte();
    expect(() => r.take(3)).toThrow(new RangeError('bytes: read past the end'));
    expect(() => r.take(-1)).toThrow(new RangeError('bytes: read past the end'));
    expect(() => r.take(Number.NaN)).toThrow(new RangeError('bytes: read past the end'));
    expect(r.offset).toBe(1);
    expect([...r.take(2)]).toEqual([2, 3]);
    expect(r.done).toBe(true);
  });

  it('the buffer grows past its first capacity (16 bytes at least) without losing what it holds', () => {
    // 1000 raw bytes into a writer asked for 1 byte of room, then varints that cross its doublings.
    const raw = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    const b = written((w) => {
      w.raw(raw);
      for (let i = 0; i < 300; i++) w.uint(2 ** 40 + i);
    }, 1);
    const r = new ByteReader(b);
    expect(r.take(1000)).toEqual(raw);
    for (let i = 0; i < 300; i++) expect(r.uint()).toBe(2 ** 40 + i);
    expect(r.done).toBe(true);
  });

  it.each([0, -1, -1000, Number.NaN])('a first capacity of %d is only a hint: the writer still takes bytes', (capacity) => {
    // encodeState sizes its writer from the state (64 + 8 bytes a live block); a hint at or
    // below 0 must not make a buffer the writer cannot grow (a negative length is a RangeError).
    const b = written((w) => {
      w.byte(0xfe);
      w.uint(300);
      w.str('é');
    }, capacity);
    // 300 → ac 02; 'é' = U+00E9 = 233 → count 01, then e9 01.
    expect(hex(b)).toBe('fe ac 02 01 e9 01');
  });

  it('appending byte after byte takes amortized constant time: 4 MiB one byte at a time', () => {
    // The buffer doubles when full, so 2^22 one-byte appends copy under 2^23 bytes in all. A
    // buffer grown only to what the next write needs would copy about 2^43 bytes here (hours):
    // this test would then run out of its time instead of failing an assertion.
    const n = 1 << 22;
    const w = new ByteWriter();
    for (let i = 0; i < n; i++) w.byte(i);
    const b = w.bytes();
    expect(b.length).toBe(n);
    expect([b[0], b[255], b[256], b[n - 1]]).toEqual([0, 255, 0, 255]);
  });

  it('property: any mix of writes reads back in order, from any first capacity', () => {
    type Op = { k: 'u'; v: number } | { k: 'i'; v: number } | { k: 'b'; v: number } | { k: 's'; v: string } | { k: 'r'; v: Uint8Array };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.maxSafeNat().map((v) => ({ k: 'u' as const, v })),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map((v) => ({ k: 'i' as const, v })),
      fc.integer({ min: 0, max: 255 }).map((v) => ({ k: 'b' as const, v })),
      fc.string({ unit: 'binary', maxLength: 40 }).map((v) => ({ k: 's' as const, v })),
      fc.uint8Array({ maxLength: 40 }).map((v) => ({ k: 'r' as const, v })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.integer({ min: 0, max: 64 }), (ops, capacity) => {
        const b = written((w) => {
          for (const o of ops) {
            if (o.k === 'u') w.uint(o.v);
            else if (o.k === 'i') w.int(o.v);
            else if (o.k === 'b') w.byte(o.v);
            else if (o.k === 's') w.str(o.v);
            else w.raw(o.v);
          }
        }, capacity);
        const r = new ByteReader(b);
        for (const o of ops) {
          if (o.k === 'u') expect(r.uint()).toBe(o.v);
          else if (o.k === 'i') expect(r.int()).toBe(o.v);
          else if (o.k === 'b') expect(r.byte()).toBe(o.v);
          else if (o.k === 's') expect(r.str()).toBe(o.v);
          else expect(r.take(o.v.length)).toEqual(o.v);
        }
        expect(r.done).toBe(true);
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

describe('strings', () => {
  it('are their count, then a byte per ASCII code unit and a varint per other one', () => {
    // 'a' 0x61; 'é' U+00E9 = 233 → e9 01; a lone surrogate U+D800 = 55296 → 80 b0 03; DEL 0x7f stays one byte; 0x80 takes two.
    expect(hex(written((w) => w.str('aé\ud800\u007f\u0080')))).toBe('05 61 e9 01 80 b0 03 7f 80 01');
    expect(new ByteReader(written((w) => w.str('aé\ud800\u007f\u0080'))).str()).toBe('aé\ud800\u007f\u0080');
    // From a code unit on: 'hello' from 3 is 'lo'.
    expect(hex(written((w) => w.str('hello', 3)))).toBe('02 6c 6f');
    expect(hex(written((w) => w.str('')))).toBe('00');
  });

  it('ASCII after wider code units near the end of the buffer is not lost', () => {
    // Found by the property below: 10 code units reserved 10 bytes, the wide ones took 3 each,
    // and the last ASCII ones were written past the buffer's end (a typed array drops them).
    const s = '\u4000\u0000\u0000\ud800\udc00\u0000\u0000\u0000\u0000\u0000';
    const b = written((w) => w.str(s), 1);
    // U+4000 = 16384 → 80 80 01; U+D800 → 80 b0 03; U+DC00 = 56320 → 80 b8 03.
    expect(hex(b)).toBe('0a 80 80 01 00 00 80 b0 03 80 b8 03 00 00 00 00 00');
    expect(new ByteReader(b).str()).toBe(s);
  });

  it('longer than one String.fromCharCode call takes (4096 code units), and exactly that long, read whole', () => {
    for (const n of [4095, 4096, 4097, 10_000]) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode(i % 2 === 0 ? 0x41 + (i % 26) : 0x3b1 + (i % 20))).join('');
      const w = new ByteWriter();
      w.str(s);
      w.str(s, 1);
      w.str(s.slice(1), n - 1);
      const r = new ByteReader(w.bytes());
      expect(r.str()).toBe(s);
      expect(r.strAfter(0)).toBe(s.slice(1));
      expect(r.strAfter(n - 1)).toBe(s.slice(1));
    }
  });

  it('refuses a count past the bytes left and a code unit above 0xffff', () => {
    expect(() => reader(0x03, 0x61, 0x62).str()).toThrow(new RangeError('string of 3 code units: read past the end'));
    expect(() => reader(0x03, 0x61, 0x62).strAfter(0)).toThrow(new RangeError('string of 3 code units: read past the end'));
    // A count equal to the bytes left reads.
    expect(reader(0x02, 0x61, 0x62).str()).toBe('ab');
    expect(reader(0x02, 0x61, 0x62).strAfter(0)).toBe('ab');
    // 0x10000 = 80 80 04; 0xffff = ff ff 03 is the largest code unit.
    expect(() => reader(0x01, 0x80, 0x80, 0x04).str()).toThrow(new RangeError('code unit 65536 is above 0xffff'));
    expect(() => reader(0x01, 0x80, 0x80, 0x04).strAfter(0)).toThrow(new RangeError('code unit 65536 is above 0xffff'));
    expect(reader(0x01, 0xff, 0xff, 0x03).str()).toBe('\uffff');
    expect(reader(0x01, 0xff, 0xff, 0x03).strAfter(0)).toBe('\uffff');
  });

  it('front coding: strAfter(shared) is the last strAfter string\'s first shared code units, then what follows; str between them does not count', () => {
    const w = new ByteWriter();
    w.str('alpha', 0);
    w.str('other');
    w.str('alphabet', 5);
    w.str('alps', 3);
    w.str('', 0);
    const r = new ByteReader(w.bytes());
    expect(r.strAfter(0)).toBe('alpha');
    expect(r.str()).toBe('other');
    expect(r.strAfter(5)).toBe('alphabet');
    expect(r.strAfter(3)).toBe('alps');
    expect(r.strAfter(0)).toBe('');
    expect(r.done).toBe(true);
  });

  it('front coding refuses to share more code units than the string before had', () => {
    const w = new ByteWriter();
    w.str('ab');
    w.str('x');
    const r = new ByteReader(w.bytes());
    expect(r.strAfter(0)).toBe('ab');
    expect(() => r.strAfter(3)).toThrow(new RangeError('a string shares 3 code units with one of 2'));
    expect(() => new ByteReader(w.bytes()).strAfter(1)).toThrow(new RangeError('a string shares 1 code units with one of 0'));
  });

  it('property: front-coded lists of any strings (longer than the reader\'s first 64 code units too) read back', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { maxLength: 20 }), (list) => {
        const sorted = [...list].sort();
        const w = new ByteWriter(1);
        let prev = '';
        const shares: number[] = [];
        for (const s of sorted) {
          let k = 0;
          while (k < s.length && k < prev.length && s[k] === prev[k]) k++;
          shares.push(k);
          w.str(s, k);
          prev = s;
        }
        const r = new ByteReader(w.bytes());
        expect(shares.map((k) => r.strAfter(k))).toEqual(sorted);
        expect(r.done).toBe(true);
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});
