import type { Fact, Frag } from '@lmm/core';

// Word layouts (one Uint32 word each), after a head word `type | frag << 3 | realloc << 5 | from << 6`:
//   Registered  [name, size]
//   PageRequest [family, page, count]            PageRelease the same
//   Allocated   [id, family, page, offset, size, units, gap, (from)]
//   Freed       [id, family, page, offset, size, merged.offset, merged.size]
//   Json        [text]   a Rejected fact, or any fact that does not fit the words (kept as its JSON)
// Strings (family names, ids) are interned: a word is an index into `strings`.
const REGISTERED = 0;
const PAGE_REQUEST = 1;
const ALLOCATED = 2;
const FREED = 3;
const PAGE_RELEASE = 4;
const JSON_FACT = 5;

const FRAGS: readonly Frag[] = ['none', 'hard', 'soft', 'large'];
const FRAG_CODE: Readonly<Record<Frag, number>> = { none: 0, hard: 1, soft: 2, large: 3 };

/** Keys a fact of each type has besides `type` (logged facts also have `seq` and `cmd`). */
const KEYS: Readonly<Record<Fact['type'], number>> = { Registered: 2, PageRequest: 3, Allocated: 8, Freed: 6, PageRelease: 3, Rejected: 3 };

const fits = (v: number): boolean => v >= 0 && v <= 0xffffffff && Number.isInteger(v);

function keyCount(o: object): number {
  let n = 0;
  for (const k in o) if (Object.hasOwn(o, k)) n++;
  return n;
}

/**
 * An append-only, compact store of a fact log's facts grouped by command: each fact is a few
 * 32-bit words (about 30 bytes for the usual fact instead of an object or a line of text), ids
 * and family names are interned. Facts decode back to equal objects (`seq`/`cmd` aside).
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

  private push(...ws: number[]): void {
    if (this.used + ws.length > this.words.length) this.words = grow(this.words, this.used + ws.length);
    for (const w of ws) this.words[this.used++] = w;
  }

  private encode(f: Fact): void {
    // Logged facts carry seq and cmd besides their own keys; anything else means a key we would lose.
    const extra = ('seq' in f ? 1 : 0) + ('cmd' in f ? 1 : 0) + 1;
    switch (f.type) {
      case 'Registered':
        if (keyCount(f) === KEYS.Registered + extra && fits(f.size)) return this.push(REGISTERED, this.str(f.family), f.size);
        break;
      case 'PageRequest':
      case 'PageRelease':
        if (keyCount(f) === KEYS[f.type] + extra && fits(f.page) && fits(f.count)) {
          return this.push(f.type === 'PageRequest' ? PAGE_REQUEST : PAGE_RELEASE, this.str(f.family), f.page, f.count);
        }
        break;
      case 'Allocated': {
        const realloc = f.realloc === true ? 1 : 0;
        const from = f.from === undefined ? 0 : 1;
        if (keyCount(f) === KEYS.Allocated + realloc + from + extra && fits(f.page) && fits(f.offset) && fits(f.size) && fits(f.units) && fits(f.gap)) {
          const head = ALLOCATED | (FRAG_CODE[f.frag] << 3) | (realloc << 5) | (from << 6);
          this.push(head, this.str(f.id), this.str(f.family), f.page, f.offset, f.size, f.units, f.gap);
          if (f.from !== undefined) this.push(this.str(f.from));
          return;
        }
        break;
      }
      case 'Freed': {
        const realloc = f.realloc === true ? 1 : 0;
        const m = f.merged;
        if (keyCount(f) === KEYS.Freed + realloc + extra && keyCount(m) === 2 && fits(f.page) && fits(f.offset) && fits(f.size) && fits(m.offset) && fits(m.size)) {
          return this.push(FREED | (realloc << 5), this.str(f.id), this.str(f.family), f.page, f.offset, f.size, m.offset, m.size);
        }
        break;
      }
      case 'Rejected':
        break;
    }
    const { seq: _s, cmd: _c, ...own } = f as Fact & { seq?: number; cmd?: number };
    this.texts.push(JSON.stringify(own));
    this.push(JSON_FACT, this.texts.length - 1);
  }

  /** Decodes the fact at word `at`, hands it to `out`, returns the next fact's word. */
  private decode(at: number, out: (f: Fact) => void): number {
    const w = this.words;
    const s = this.strings;
    const head = w[at]!;
    switch (head & 7) {
      case REGISTERED:
        out({ type: 'Registered', family: s[w[at + 1]!]!, size: w[at + 2]! });
        return at + 3;
      case PAGE_REQUEST:
      case PAGE_RELEASE:
        out({ type: (head & 7) === PAGE_REQUEST ? 'PageRequest' : 'PageRelease', family: s[w[at + 1]!]!, page: w[at + 2]!, count: w[at + 3]! });
        return at + 4;
      case ALLOCATED: {
        const base = { type: 'Allocated', id: s[w[at + 1]!]!, family: s[w[at + 2]!]!, page: w[at + 3]!, offset: w[at + 4]!, size: w[at + 5]!, units: w[at + 6]!, frag: FRAGS[(head >> 3) & 3]!, gap: w[at + 7]! } as const;
        const realloc = (head >> 5) & 1;
        if ((head >> 6) & 1) {
          const from = s[w[at + 8]!]!;
          out(realloc ? { ...base, realloc: true, from } : { ...base, from });
          return at + 9;
        }
        out(realloc ? { ...base, realloc: true } : base);
        return at + 8;
      }
      case FREED: {
        const base = { type: 'Freed', id: s[w[at + 1]!]!, family: s[w[at + 2]!]!, page: w[at + 3]!, offset: w[at + 4]!, size: w[at + 5]!, merged: { offset: w[at + 6]!, size: w[at + 7]! } } as const;
        out((head >> 5) & 1 ? { ...base, realloc: true } : base);
        return at + 8;
      }
      case JSON_FACT:
        out(JSON.parse(this.texts[w[at + 1]!]!) as Fact);
        return at + 2;
      default:
        throw new Error(`FactStore: corrupt word ${head} at ${at}`);
    }
  }
}

function grow(a: Uint32Array, need: number): Uint32Array {
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}
