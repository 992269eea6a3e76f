import { FACT_FIELDS, FACT_TYPES, FRAGS, MERGED_FIELDS, type Fact, type FieldKind } from '@lmm/core';

// A fact is a head word, then words for its fields in FACT_SCHEMA's order. The head holds the
// type's index in FACT_TYPES (bits 0–2; JSON_FACT for a fact kept as JSON), then from bit 3 on,
// field by field: FRAG_BITS a `frag` (its index in FRAGS), 1 bit a `true?` (present) and 1 bit a
// `string?` (present). Words: an `int` one (up to 2^32 − 1), a `string` or present `string?`
// one (its index among the interned strings), a `merged` one per key of MERGED_FIELDS. A type
// with a field of another kind (a Rejected fact's `any` command and `code`), and any fact
// whose values do not fit, is kept as its JSON text: a word JSON_FACT, then the text's index.

/** The head's type code of a fact kept as JSON. */
const JSON_FACT = FACT_TYPES.length;
/** Bits of the head taken by the type code. */
const TYPE_BITS = 3;
const TYPE_MASK = (1 << TYPE_BITS) - 1;
/** Bits of the head a `frag` takes. */
const FRAG_BITS = Math.ceil(Math.log2(FRAGS.length));
const FRAG_MASK = (1 << FRAG_BITS) - 1;
if (JSON_FACT > TYPE_MASK) throw new Error(`FactStore: ${FACT_TYPES.length} fact types need more than ${TYPE_BITS} bits`);

/** How a field of each kind is stored: its head bits and its words (null: a type with it is kept as JSON). */
const STORED: Readonly<Record<FieldKind, { readonly bits: number; readonly words: number } | null>> = {
  int: { bits: 0, words: 1 },
  string: { bits: 0, words: 1 },
  'string?': { bits: 1, words: 1 },
  'true?': { bits: 1, words: 0 },
  frag: { bits: FRAG_BITS, words: 0 },
  merged: { bits: 0, words: MERGED_FIELDS.length },
  any: null,
  code: null,
};

/** A field of a stored type: its key, its kind and where its head bits start. */
interface StoredField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly shift: number;
}

/** Each fact type's stored fields, by type code; undefined for a type kept as JSON. */
const PLANS: readonly (readonly StoredField[] | undefined)[] = FACT_TYPES.map((type) => {
  let shift = TYPE_BITS;
  const fields: StoredField[] = [];
  for (const { name, kind } of FACT_FIELDS[type]) {
    const stored = STORED[kind];
    if (stored === null) return undefined;
    fields.push({ name, kind, shift });
    shift += stored.bits;
  }
  if (shift > 32) throw new Error(`FactStore: the head of a ${type} fact needs ${shift} bits`);
  return fields;
});

const TYPE_CODE = new Map<unknown, number>(FACT_TYPES.map((t, i) => [t, i]));
const FRAG_CODE = new Map<unknown, number>(FRAGS.map((f, i) => [f, i]));

const fits = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 0xffffffff && Number.isInteger(v);

function keyCount(o: object): number {
  let n = 0;
  for (const k in o) if (Object.hasOwn(o, k)) n++;
  return n;
}

/**
 * An append-only, compact store of a fact log's facts grouped by command: each fact is a few
 * 32-bit words (about 30 bytes for the usual fact instead of an object or a line of text), ids
 * and family names are interned, laid out from `FACT_SCHEMA`. Facts decode back to equal
 * objects, keys in the table's order (`seq`/`cmd` aside); a fact that does not fit the words
 * (a Rejected fact, a number past 2^32 − 1, a key the table does not have) is kept as its JSON.
 * Command numbers are 1-based; command `c`'s facts are `factsOf(c)`.
 */
export class FactStore {
  private words: Uint32Array = new Uint32Array(1 << 16);
  private used = 0;
  /** `ends[c]` = the word after command c's last fact; `ends[0]` = 0. */
  private ends: Uint32Array = new Uint32Array(1 << 12);
  private cmds = 0;
  private facts = 0;
  private readonly strings: string[] = [];
  private intern: Map<string, number> | undefined = new Map();
  private readonly texts: string[] = [];

  /** Commands stored. */
  get commandCount(): number {
    return this.cmds;
  }

  /** Facts stored. */
  get factCount(): number {
    return this.facts;
  }

  /** Bytes held by the typed arrays and (roughly, 2 bytes a character plus 16 overhead) by the strings. */
  get approxBytes(): number {
    let s = 0;
    for (const t of this.strings) s += 16 + 2 * t.length;
    for (const t of this.texts) s += 16 + 2 * t.length;
    return this.words.byteLength + this.ends.byteLength + s;
  }

  /** Appends one command's facts (the next command number). */
  addCommand(facts: readonly Fact[]): void {
    if (this.intern === undefined) throw new Error('FactStore: add after seal');
    for (const f of facts) this.encode(f);
    this.facts += facts.length;
    this.cmds++;
    if (this.cmds >= this.ends.length) this.ends = grow(this.ends, this.cmds + 1);
    this.ends[this.cmds] = this.used;
  }

  /** Ends appending: trims the arrays to size and drops the intern map. */
  seal(): void {
    this.words = this.words.slice(0, this.used);
    this.ends = this.ends.slice(0, this.cmds + 1);
    this.intern = undefined;
  }

  /** The facts of command `cmd` (1-based), decoded to fresh objects. */
  factsOf(cmd: number): Fact[] {
    const out: Fact[] = [];
    this.forEachFact(cmd, cmd, (f) => void out.push(f));
    return out;
  }

  /** Calls `visit` with every fact of commands `from`…`to` (1-based, inclusive) in log order. */
  forEachFact(from: number, to: number, visit: (fact: Fact, cmd: number) => void): void {
    const last = Math.min(to, this.cmds);
    for (let c = Math.max(from, 1); c <= last; c++) {
      let at = this.ends[c - 1]!;
      const end = this.ends[c]!;
      while (at < end) at = this.decode(at, (f) => visit(f, c));
    }
  }

  private str(s: string): number {
    const map = this.intern!;
    let i = map.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      map.set(s, i);
    }
    return i;
  }

  private word(w: number): void {
    if (this.used === this.words.length) this.words = grow(this.words, this.used + 1);
    this.words[this.used++] = w;
  }

  private encode(f: Fact): void {
    const start = this.used;
    if (!this.encodeWords(f)) {
      this.used = start;
      const { seq: _s, cmd: _c, ...own } = f as Fact & { seq?: number; cmd?: number };
      this.texts.push(JSON.stringify(own));
      this.word(JSON_FACT);
      this.word(this.texts.length - 1);
    }
  }

  /** Writes `f` as its head and field words; false (the words written undefined) when it does not fit them. */
  private encodeWords(f: Fact): boolean {
    const code = TYPE_CODE.get(f.type);
    const plan = code === undefined ? undefined : PLANS[code];
    if (plan === undefined) return false;
    const v = f as unknown as Record<string, unknown>;
    // Logged facts carry seq and cmd besides their own keys; any other key would be lost.
    let keys = 1 + ('seq' in f ? 1 : 0) + ('cmd' in f ? 1 : 0);
    const headAt = this.used;
    this.word(0);
    let head = code!;
    for (const { name, kind, shift } of plan) {
      const x = v[name];
      switch (kind) {
        case 'int':
          if (!fits(x)) return false;
          this.word(x);
          break;
        case 'string':
          if (typeof x !== 'string') return false;
          this.word(this.str(x));
          break;
        case 'string?':
          if (x === undefined) continue;
          if (typeof x !== 'string') return false;
          head |= 1 << shift;
          this.word(this.str(x));
          break;
        case 'true?':
          if (x === undefined) continue;
          if (x !== true) return false;
          head |= 1 << shift;
          break;
        case 'frag': {
          const c = FRAG_CODE.get(x);
          if (c === undefined) return false;
          head |= c << shift;
          break;
        }
        case 'merged': {
          if (typeof x !== 'object' || x === null || keyCount(x) !== MERGED_FIELDS.length) return false;
          const m = x as Record<string, unknown>;
          for (const k of MERGED_FIELDS) {
            if (!fits(m[k])) return false;
            this.word(m[k]);
          }
          break;
        }
        case 'any':
        case 'code':
          return false;
      }
      keys++;
    }
    if (keyCount(f) !== keys) return false;
    this.words[headAt] = head >>> 0;
    return true;
  }

  /** Decodes the fact at word `at`, hands it to `out`, returns the next fact's word. */
  private decode(at: number, out: (f: Fact) => void): number {
    const w = this.words;
    const s = this.strings;
    const head = w[at++]!;
    const code = head & TYPE_MASK;
    if (code === JSON_FACT) {
      out(JSON.parse(this.texts[w[at]!]!) as Fact);
      return at + 1;
    }
    const plan = PLANS[code];
    if (plan === undefined) throw new Error(`FactStore: corrupt word ${head} at ${at - 1}`);
    const f: Record<string, unknown> = { type: FACT_TYPES[code] };
    for (const { name, kind, shift } of plan) {
      switch (kind) {
        case 'int':
          f[name] = w[at++]!;
          break;
        case 'string':
          f[name] = s[w[at++]!]!;
          break;
        case 'string?':
          if ((head >>> shift) & 1) f[name] = s[w[at++]!]!;
          break;
        case 'true?':
          if ((head >>> shift) & 1) f[name] = true;
          break;
        case 'frag':
          f[name] = FRAGS[(head >>> shift) & FRAG_MASK];
          break;
        case 'merged': {
          const m: Record<string, number> = {};
          for (const k of MERGED_FIELDS) m[k] = w[at++]!;
          f[name] = m;
          break;
        }
        case 'any':
        case 'code':
          throw new Error(`FactStore: corrupt word ${head}`);
      }
    }
    out(f as unknown as Fact);
    return at;
  }
}

function grow(a: Uint32Array, need: number): Uint32Array {
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}
