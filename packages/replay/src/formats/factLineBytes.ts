import { FACT_FIELDS, FACT_TYPES, FRAGS, MERGED_FIELDS, type Fact, type FieldKind } from '@lmm/core';

/**
 * Bytes a fact line may take in `encodeFactLine`, line end included: a writer makes this
 * much room before encoding a fact. A fact whose strings (or rejected command) would not fit
 * is left to `factLine`.
 */
export const FACT_LINE_ROOM = 4096;

/** How a field of each kind is written (a rejection code is a string). */
const KIND_CODE: Readonly<Record<FieldKind, number>> = { int: 1, string: 2, code: 2, 'string?': 3, 'true?': 4, frag: 5, merged: 6, any: 7 };

/** A field's step in a fact line: `,"name":` as bytes, then its value by kind (its code). */
interface Step {
  readonly name: string;
  readonly kind: number;
  readonly key: Uint8Array;
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

const SEQ = bytes('{"seq":');
const CMD = bytes(',"cmd":');
const TRUE = bytes('true');
const MERGED_KEYS = MERGED_FIELDS.map((k, i) => bytes(`${i === 0 ? '{' : ','}"${k}":`));
const FRAG_BYTES = new Map<unknown, Uint8Array>(FRAGS.map((f) => [f, bytes(JSON.stringify(f))]));

/** Each fact type's line after `cmd`, from `FACT_SCHEMA`: `,"type":"T"` and a step per field. */
const PLANS = new Map<unknown, { readonly head: Uint8Array; readonly steps: readonly Step[] }>(
  FACT_TYPES.map((type) => [
    type,
    { head: bytes(`,"type":${JSON.stringify(type)}`), steps: FACT_FIELDS[type].map((f) => ({ name: f.name, kind: KIND_CODE[f.kind], key: bytes(`,${JSON.stringify(f.name)}:`) })) },
  ]),
);

function put(buf: Uint8Array, at: number, b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) buf[at + i] = b[i]!;
  return at + b.length;
}

/** Writes `v`'s decimal digits, as JSON has them; −1 when it is not an integer from 0 to 2^53 − 1. */
function uint(buf: Uint8Array, at: number, v: unknown): number {
  if (typeof v !== 'number') return -1;
  if ((v | 0) === v && v >= 0) {
    // Below 2^31, the usual case: integer arithmetic.
    const n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
    let end = at + n;
    for (let t = v; end > at; t = (t / 10) | 0) buf[--end] = 48 + (t % 10);
    return at + n;
  }
  if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER) || Math.floor(v) !== v) return -1;
  let n = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) n++;
  let end = at + n;
  for (let t = v; end > at; t = Math.floor(t / 10)) buf[--end] = 48 + (t % 10);
  return at + n;
}

/**
 * Writes `v` as `JSON.stringify(v)` in UTF-8: byte by byte while its characters are printable
 * ASCII other than `"` and `\` (ids and family names almost always are), else through
 * `JSON.stringify` and `TextEncoder.encodeInto` (JSON escapes quotes, backslashes, control
 * characters and lone surrogates, so what it gives is well-formed and encodes exactly). −1
 * when `v` is not a string or its bytes would pass `limit`.
 */
function jsonString(buf: Uint8Array, at: number, limit: number, v: unknown): number {
  if (typeof v !== 'string' || at + v.length + 2 > limit) return -1;
  const start = at;
  buf[at++] = 0x22;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c > 0x7f || c === 0x22 || c === 0x5c) return escaped(buf, start, limit, v);
    buf[at++] = c;
  }
  buf[at++] = 0x22;
  return at;
}

const encoder = new TextEncoder();

/** `jsonString` for a string JSON escapes or spells in more than one byte. */
function escaped(buf: Uint8Array, at: number, limit: number, v: string): number {
  return json(buf, at, limit, JSON.stringify(v));
}

/** Writes `text` (JSON: well-formed) in UTF-8; −1 when it is undefined or its bytes would pass `limit`. */
function json(buf: Uint8Array, at: number, limit: number, text: string | undefined): number {
  if (text === undefined) return -1;
  const { read, written } = encoder.encodeInto(text, buf.subarray(at, limit));
  return read < text.length ? -1 : at + written;
}

/**
 * Writes fact `fact` of command `cmd`, numbered `seq`, as its fact log line and line end
 * into `buf` from `at`, byte for byte what `factLine(seq, cmd, fact)` and `\n` are in UTF-8,
 * for a fact with its table's keys in the table's order (as `decide` makes them). Returns
 * the end of the line, or −1 — with the bytes from `at` on undefined — when the fact is left
 * to `factLine`: a number that is not an integer from 0 to 2^53 − 1, a value not of its
 * field's kind, a rejected command JSON cannot write (undefined), or a line that would pass
 * `limit` (`buf` must hold at least `min(limit, at + FACT_LINE_ROOM)` bytes). Any string is
 * written as JSON escapes it, a rejected command as `JSON.stringify` writes it.
 */
export function encodeFactLine(buf: Uint8Array, at: number, limit: number, seq: number, cmd: number, fact: Fact): number {
  const plan = PLANS.get(fact.type);
  if (plan === undefined) return -1;
  // Everything but strings takes at most the fixed bytes and 16 digits a number: strings check `limit` themselves.
  at = put(buf, at, SEQ);
  if ((at = uint(buf, at, seq)) < 0) return -1;
  at = put(buf, at, CMD);
  if ((at = uint(buf, at, cmd)) < 0) return -1;
  at = put(buf, at, plan.head);
  const f = fact as unknown as Record<string, unknown>;
  for (const step of plan.steps) {
    const v = f[step.name];
    switch (step.kind) {
      case 1: // int
        at = uint(buf, put(buf, at, step.key), v);
        break;
      case 2: // string
        at = jsonString(buf, put(buf, at, step.key), limit, v);
        break;
      case 3: // string?
        if (v !== undefined) at = jsonString(buf, put(buf, at, step.key), limit, v);
        break;
      case 4: // true?
        if (v === true) at = put(buf, put(buf, at, step.key), TRUE);
        else if (v !== undefined) return -1;
        break;
      case 5: {
        // frag
        const b = FRAG_BYTES.get(v);
        if (b === undefined) return -1;
        at = put(buf, put(buf, at, step.key), b);
        break;
      }
      case 6: {
        // merged
        if (typeof v !== 'object' || v === null) return -1;
        at = put(buf, at, step.key);
        const m = v as Record<string, unknown>;
        for (let j = 0; j < MERGED_KEYS.length && at >= 0; j++) at = uint(buf, put(buf, at, MERGED_KEYS[j]!), m[MERGED_FIELDS[j]!]);
        if (at >= 0) buf[at++] = 0x7d;
        break;
      }
      case 7: // any
        at = json(buf, put(buf, at, step.key), limit, JSON.stringify(v));
        break;
      default:
        return -1;
    }
    if (at < 0 || at > limit - 64) return -1;
  }
  buf[at++] = 0x7d;
  buf[at++] = 0x0a;
  return at;
}
