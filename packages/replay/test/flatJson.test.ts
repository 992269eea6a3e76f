import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOT_FLAT, parseFlatJson } from '../src/formats/flatJson.js';

/** JSON.parse's answer as comparable text (keys in order, prototype checked), or 'throws'. */
function viaJsonParse(text: string): string {
  try {
    const v: unknown = JSON.parse(text);
    return describe_(v);
  } catch {
    return 'throws';
  }
}

function describe_(v: unknown): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  return `${Object.getPrototypeOf(v) === Object.prototype ? 'plain' : 'other'} ${JSON.stringify(Object.entries(v))}`;
}

// Flat objects as commands look, with keys and strings from any characters (quotes,
// backslashes, control characters and non-ASCII included, so escapes happen).
const flatObject = fc.dictionary(
  fc.oneof(fc.constantFrom('op', 'id', 'family', 'units', 'to', 'size', '__proto__', '0', '12'), fc.string({ unit: 'binary', maxLength: 6 })),
  fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.nat(), fc.maxSafeNat(), fc.integer({ min: -5, max: 5 }), fc.double(), fc.boolean(), fc.constant(null)),
  { maxKeys: 5 },
);

// Texts near the flat shape: whole, cut off, with a character changed or inserted, or
// with a key written twice.
const text = fc.oneof(
  flatObject.map((o) => JSON.stringify(o)),
  fc.tuple(flatObject, fc.nat(), fc.string({ unit: 'binary', maxLength: 2 })).map(([o, at, s]) => {
    const t = JSON.stringify(o);
    const i = at % (t.length + 1);
    return t.slice(0, i) + s + t.slice(i + s.length);
  }),
  fc.tuple(flatObject, fc.nat()).map(([o, at]) => JSON.stringify(o).slice(0, at)),
  flatObject.map((o) => JSON.stringify(o).replace(/^\{("[^"\\]*":[^,}]*)/, '{$1,$1')),
  fc.json(),
  fc.string({ unit: 'binary' }),
);

describe('parseFlatJson', () => {
  it('gives exactly what JSON.parse gives, or leaves the text to it', () => {
    let fast = 0;
    fc.assert(
      fc.property(text, (t) => {
        const got = parseFlatJson(t);
        if (got === NOT_FLAT) return;
        fast++;
        expect(describe_(got)).toBe(viaJsonParse(t));
      }),
      { numRuns: 20_000 },
    );
    // The fast path must actually be taken, not just be safe.
    expect(fast).toBeGreaterThan(2_000);
  });

  it('reads a command line, and leaves the unusual to JSON.parse', () => {
    expect(parseFlatJson('{"op":"alloc","id":"a1","family":"emp_t","units":12}')).toEqual({ op: 'alloc', id: 'a1', family: 'emp_t', units: 12 });
    expect(parseFlatJson('{}')).toEqual({});
    for (const t of ['{"units":1.5}', '{"units":-1}', '{"units":0}', '{"units":1e3}', '{"id":"a\\"b"}', '{ "op":"free"}', '{"a":1,"a":2}', '{"__proto__":"x"}', '{"op":"free"} ', '{"units":1234567890123456}', '[1]', '{"op":true}', '']) {
      expect(parseFlatJson(t)).toBe(NOT_FLAT);
    }
  });
});
