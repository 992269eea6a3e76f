import type { Fact, Frag, LoggedFact, RejectionCode } from '@lmm/core';
import type { LogHeader } from '@lmm/replay';
import { ByteReader, ByteWriter } from './bytes';

/**
 * The compact form of a fact log the viewer page carries: strings go to tables (families,
 * ids, rejections), numbers to one varint column per field, coded against what the reader
 * already knows: page ids as deltas, an allocation's offset against the end of the last
 * allocation in its page, ids by age (0 for a new id), and a free's block from the id's
 * allocation. The log of a million commands is a few megabytes once gzipped. Lossless:
 * `factAt` rebuilds every fact exactly as its log line had it. Runs in Node and in the page.
 */

/** Fact type codes in the kind column (bits 0–2). */
export const KIND = { Registered: 0, PageRequest: 1, Allocated: 2, Freed: 3, PageRelease: 4, Rejected: 5 } as const;
/** The fact type of each kind code. */
export const KIND_NAMES = ['Registered', 'PageRequest', 'Allocated', 'Freed', 'PageRelease', 'Rejected'] as const satisfies readonly Fact['type'][];
const FRAGS: readonly Frag[] = ['none', 'hard', 'soft', 'large'];
/** Kind column bits 3–4: the Allocated fact's `frag` (index into none, hard, soft, large). */
export const FRAG_SHIFT = 3;
/** Kind column bit 5: `realloc: true` on an Allocated or Freed fact. */
export const REALLOC_BIT = 1 << 5;
/** Kind column bit 6: an Allocated fact with `from`. */
export const FROM_BIT = 1 << 6;
/**
 * Kind column bit 7: a Freed fact that spells out its family, page, offset and size. Without
 * it they are those of the last Allocated fact of the same id, which holds for every free in
 * a consistent log except the old half of a realloc that keeps its id.
 */
export const EXPLICIT_BIT = 1 << 7;

const COLUMNS = ['kind', 'cmd', 'fam', 'page', 'off', 'size', 'count', 'gap', 'moff', 'msize', 'id', 'from'] as const;
type Column = (typeof COLUMNS)[number];
const MAGIC = [0x4c, 0x4d, 0x4d, 0x56, 1]; // "LMMV", format 1

/** A rejected command as the tables keep it. */
export interface RejectionRecord {
  readonly command: unknown;
  readonly code: RejectionCode;
  readonly message: string;
}

/**
 * A decoded run: the log header, string tables and one typed array per field, indexed by
 * fact (0-based; the fact's `seq` is index + 1). Fields a fact type lacks hold 0.
 */
export interface RunFacts {
  readonly header: LogHeader;
  /** Number of facts. */
  readonly count: number;
  /** Number of commands: the last fact's `cmd` (0 for an empty log). */
  readonly commands: number;
  readonly families: readonly string[];
  /** Ids by index, in order of first appearance. */
  readonly ids: IdTable;
  readonly rejections: readonly RejectionRecord[];
  /** Type code (see KIND) | frag << FRAG_SHIFT | REALLOC_BIT | FROM_BIT. */
  readonly kind: Uint8Array;
  readonly cmd: Uint32Array;
  /** Family table index. */
  readonly fam: Uint32Array;
  readonly page: Float64Array;
  readonly off: Float64Array;
  /** Registered: struct size; Allocated / Freed: data size. */
  readonly size: Float64Array;
  /** PageRequest / PageRelease: page count; Allocated: units. */
  readonly units: Float64Array;
  readonly gap: Float64Array;
  /** Freed: the merged block's offset and size. */
  readonly moff: Float64Array;
  readonly msize: Float64Array;
  /** Id table index (Allocated, Freed); rejection table index (Rejected). */
  readonly id: Uint32Array;
  /** Id table index of an Allocated fact's `from`. */
  readonly from: Uint32Array;
  /** firstFact[c] is the index of the first fact of command c or later; length commands + 2. */
  readonly firstFact: Uint32Array;
}

class Interner {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** Builds the compact form of a fact log, one fact at a time, in log order. */
export class FactEncoder {
  private readonly cols = Object.fromEntries(COLUMNS.map((c) => [c, new ByteWriter()])) as Record<Column, ByteWriter>;
  private readonly families = new Interner();
  private readonly ids = new Interner();
  private readonly rejections: [unknown, string, string][] = [];
  private facts = 0;
  private lastCmd = 0;
  private lastPage = 0;
  /** Live allocations by id index, as the reader will know them. */
  private readonly live = new Map<number, { fam: number; page: number; off: number; size: number }>();
  /** End (offset + meta + size) of the last allocation in each page. */
  private readonly lastEnd = new Map<number, number>();

  constructor(private readonly header: LogHeader) {}

  /** Appends the next fact (its `seq` is implied by its position; `cmd` never decreases). */
  add(fact: LoggedFact): void {
    const c = this.cols;
    let kind: number = KIND[fact.type];
    if (fact.type === 'Allocated') kind |= FRAGS.indexOf(fact.frag) << FRAG_SHIFT;
    if ((fact.type === 'Allocated' || fact.type === 'Freed') && fact.realloc === true) kind |= REALLOC_BIT;
    if (fact.type === 'Allocated' && fact.from !== undefined) kind |= FROM_BIT;
    c.cmd.uint(fact.cmd - this.lastCmd);
    this.lastCmd = fact.cmd;
    this.facts++;
    switch (fact.type) {
      case 'Registered':
        c.fam.uint(this.families.of(fact.family));
        c.size.uint(fact.size);
        break;
      case 'PageRequest':
      case 'PageRelease':
        c.fam.uint(this.families.of(fact.family));
        this.pageOf(fact.page);
        c.count.uint(fact.count);
        if (fact.type === 'PageRelease') this.lastEnd.delete(fact.page);
        break;
      case 'Allocated': {
        const fam = this.families.of(fact.family);
        c.fam.uint(fam);
        this.pageOf(fact.page);
        c.off.int(fact.offset - (this.lastEnd.get(fact.page) ?? 0));
        this.lastEnd.set(fact.page, fact.offset + this.header.layout.metaSize + fact.size);
        c.size.uint(fact.size);
        c.count.uint(fact.units);
        c.gap.uint(fact.gap);
        c.id.uint(this.idRef(fact.id));
        const id = this.ids.of(fact.id);
        if (fact.from !== undefined) c.from.uint(this.idRef(fact.from));
        this.live.set(id, { fam, page: fact.page, off: fact.offset, size: fact.size });
        break;
      }
      case 'Freed': {
        const fam = this.families.of(fact.family);
        c.id.uint(this.idRef(fact.id));
        const id = this.ids.of(fact.id);
        const rec = this.live.get(id);
        if (rec !== undefined && rec.fam === fam && rec.page === fact.page && rec.off === fact.offset && rec.size === fact.size) {
          this.live.delete(id);
        } else {
          kind |= EXPLICIT_BIT;
          c.fam.uint(fam);
          this.pageOf(fact.page);
          c.off.uint(fact.offset);
          c.size.uint(fact.size);
        }
        c.moff.int(fact.offset - fact.merged.offset);
        c.msize.int(fact.merged.size - fact.size);
        break;
      }
      case 'Rejected':
        this.rejections.push([fact.command, fact.code, fact.message]);
        break;
      default: {
        const never: never = fact;
        throw new Error(`unknown fact ${JSON.stringify(never)}`);
      }
    }
    c.kind.byte(kind);
  }

  private pageOf(page: number): void {
    this.cols.page.int(page - this.lastPage);
    this.lastPage = page;
  }

  /** Interns an id and returns how the reader finds it: 0 for a new id, else its age (ids known − index, ≥ 1). */
  private idRef(id: string): number {
    const known = this.ids.list.length;
    const i = this.ids.of(id);
    return i === known ? 0 : known - i;
  }

  /**
   * The encoded run (not compressed): magic, a JSON part (header, counts, families,
   * rejections), the ids as one text with their lengths in a column, then the columns.
   */
  finish(): Uint8Array {
    const utf8 = new TextEncoder();
    // Ids go as one text unless one is not well-formed UTF-16 (a lone surrogate would not survive UTF-8): then as JSON.
    const ids = this.ids.list;
    const asText = ids.every(isWellFormed);
    const json = utf8.encode(
      JSON.stringify({ header: this.header, facts: this.facts, commands: this.lastCmd, families: this.families.list, rejections: this.rejections, idCount: ids.length, ids: asText ? null : ids }),
    );
    const idText = utf8.encode(asText ? ids.join('') : '');
    const idLengths = new ByteWriter();
    if (asText) for (const id of ids) idLengths.uint(id.length);
    const parts: Uint8Array[] = [new Uint8Array(MAGIC)];
    const section = (bytes: Uint8Array): void => {
      const len = new ByteWriter();
      len.uint(bytes.length);
      parts.push(len.bytes(), bytes);
    };
    section(json);
    section(idText);
    section(idLengths.bytes());
    for (const name of COLUMNS) section(this.cols[name].bytes());
    const result = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      result.set(p, at);
      at += p.length;
    }
    return result;
  }
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Ids by index, cut from one text on demand (a million ids cost one string, not a million). */
export class IdTable {
  /** ends[i] is where id i ends in the text (UTF-16 units). */
  private readonly ends: Float64Array;

  /** From the text of all ids and a reader of their lengths, or from a list. */
  constructor(
    private readonly text: string,
    lengths: ByteReader,
    /** Number of ids. */
    readonly length: number,
    private readonly list: readonly string[] | null = null,
  ) {
    this.ends = new Float64Array(list === null ? length : 0);
    if (list !== null) {
      if (list.length !== length) throw new Error('viewer payload: the id list does not add up');
      return;
    }
    let at = 0;
    for (let i = 0; i < length; i++) this.ends[i] = at += lengths.uint();
    if (at !== text.length) throw new Error('viewer payload: the id table does not add up');
  }

  /** Id `i` (0 ≤ i < length). */
  get(i: number): string {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`no id ${i}`);
    if (this.list !== null) return this.list[i]!;
    return this.text.slice(i === 0 ? 0 : this.ends[i - 1]!, this.ends[i]!);
  }
}

/** Decodes what `FactEncoder.finish` produced into typed columns. O(facts). */
export function decodeRun(bytes: Uint8Array): RunFacts {
  const r = new ByteReader(bytes);
  for (const b of MAGIC) if (r.byte() !== b) throw new Error('not an lmm viewer payload (format 1)');
  const utf8 = new TextDecoder();
  const meta = JSON.parse(utf8.decode(r.take(r.uint()))) as Record<string, unknown>;
  const idText = utf8.decode(r.take(r.uint()));
  const idLengths = r.take(r.uint());
  // One local reader per column (a property lookup per read would cost more than the read).
  const kindR = new ByteReader(r.take(r.uint()));
  const cmdR = new ByteReader(r.take(r.uint()));
  const famR = new ByteReader(r.take(r.uint()));
  const pageR = new ByteReader(r.take(r.uint()));
  const offR = new ByteReader(r.take(r.uint()));
  const sizeR = new ByteReader(r.take(r.uint()));
  const countR = new ByteReader(r.take(r.uint()));
  const gapR = new ByteReader(r.take(r.uint()));
  const moffR = new ByteReader(r.take(r.uint()));
  const msizeR = new ByteReader(r.take(r.uint()));
  const idR = new ByteReader(r.take(r.uint()));
  const fromR = new ByteReader(r.take(r.uint()));
  const count = meta.facts as number;
  const commands = meta.commands as number;
  const kind = new Uint8Array(count);
  const cmd = new Uint32Array(count);
  const fam = new Uint32Array(count);
  const page = new Float64Array(count);
  const off = new Float64Array(count);
  const size = new Float64Array(count);
  const units = new Float64Array(count);
  const gap = new Float64Array(count);
  const moff = new Float64Array(count);
  const msize = new Float64Array(count);
  const id = new Uint32Array(count);
  const from = new Uint32Array(count);
  const firstFact = new Uint32Array(commands + 2);
  const metaSize = (meta.header as LogHeader).layout.metaSize;
  const idCount = meta.idCount as number;
  const live = new Int32Array(idCount).fill(-1); // id index → index of its Allocated fact, −1 when not live
  const lastEnd = new Map<number, number>();
  let known = 0; // ids seen so far
  let lastCmd = 0;
  let lastPage = 0;
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const k = kindR.byte();
    kind[i] = k;
    const cm = lastCmd + cmdR.uint();
    for (let x = lastCmd + 1; x <= cm; x++) firstFact[x] = i;
    cmd[i] = lastCmd = cm;
    switch (k & 7) {
      case KIND.Registered:
        fam[i] = famR.uint();
        size[i] = sizeR.uint();
        break;
      case KIND.PageRequest:
      case KIND.PageRelease:
        fam[i] = famR.uint();
        page[i] = lastPage += pageR.int();
        units[i] = countR.uint();
        if ((k & 7) === KIND.PageRelease) lastEnd.delete(lastPage);
        break;
      case KIND.Allocated: {
        fam[i] = famR.uint();
        const p = (page[i] = lastPage += pageR.int());
        const o = (off[i] = (lastEnd.get(p) ?? 0) + offR.int());
        const sz = (size[i] = sizeR.uint());
        lastEnd.set(p, o + metaSize + sz);
        units[i] = countR.uint();
        gap[i] = gapR.uint();
        const a = idR.uint();
        const x = a === 0 ? known++ : known - a;
        id[i] = x;
        if (k & FROM_BIT) {
          const f = fromR.uint();
          from[i] = f === 0 ? known++ : known - f;
        }
        if (x >= idCount) throw new Error('viewer payload: more ids than its table holds');
        live[x] = i;
        break;
      }
      case KIND.Freed: {
        const a = idR.uint();
        const x = a === 0 ? known++ : known - a;
        id[i] = x;
        if (k & EXPLICIT_BIT) {
          fam[i] = famR.uint();
          page[i] = lastPage += pageR.int();
          off[i] = offR.uint();
          size[i] = sizeR.uint();
        } else {
          const j = live[x]!;
          if (!(j >= 0)) throw new Error(`viewer payload: fact ${i + 1} frees an id that is not live`);
          live[x] = -1;
          fam[i] = fam[j]!;
          page[i] = page[j]!;
          off[i] = off[j]!;
          size[i] = size[j]!;
        }
        moff[i] = off[i]! - moffR.int();
        msize[i] = size[i]! + msizeR.int();
        break;
      }
      case KIND.Rejected:
        id[i] = rejected++;
        break;
      default:
        throw new Error(`viewer payload: unknown fact kind ${k}`);
    }
  }
  if (known !== idCount) throw new Error('viewer payload: the id count does not add up');
  const ids = new IdTable(idText, new ByteReader(idLengths), known, (meta.ids as string[] | null) ?? null);
  for (let x = lastCmd + 1; x < firstFact.length; x++) firstFact[x] = count;
  const rejections = (meta.rejections as [unknown, RejectionCode, string][]).map(([command, code, message]) => ({ command, code, message }));
  return {
    header: meta.header as LogHeader,
    count,
    commands,
    families: meta.families as string[],
    ids,
    rejections,
    kind,
    cmd,
    fam,
    page,
    off,
    size,
    units,
    gap,
    moff,
    msize,
    id,
    from,
    firstFact,
  };
}

/** Fact `i` rebuilt exactly as its log line had it (keys in log order, `seq` = i + 1). */
export function factAt(run: RunFacts, i: number): LoggedFact {
  const k = run.kind[i]!;
  const seq = i + 1;
  const cmd = run.cmd[i]!;
  const family = run.families[run.fam[i]!]!;
  const page = run.page[i]!;
  const realloc = (k & REALLOC_BIT) !== 0 ? ({ realloc: true } as const) : {};
  switch (KIND_NAMES[k & 7]) {
    case 'Registered':
      return { seq, cmd, type: 'Registered', family, size: run.size[i]! };
    case 'PageRequest':
      return { seq, cmd, type: 'PageRequest', family, page, count: run.units[i]! };
    case 'PageRelease':
      return { seq, cmd, type: 'PageRelease', family, page, count: run.units[i]! };
    case 'Allocated': {
      const from = (k & FROM_BIT) !== 0 ? { from: run.ids.get(run.from[i]!) } : {};
      const frag = FRAGS[(k >> FRAG_SHIFT) & 3]!;
      return { seq, cmd, type: 'Allocated', id: run.ids.get(run.id[i]!), family, page, offset: run.off[i]!, size: run.size[i]!, units: run.units[i]!, frag, gap: run.gap[i]!, ...realloc, ...from };
    }
    case 'Freed':
      return { seq, cmd, type: 'Freed', id: run.ids.get(run.id[i]!), family, page, offset: run.off[i]!, size: run.size[i]!, merged: { offset: run.moff[i]!, size: run.msize[i]! }, ...realloc };
    case 'Rejected': {
      const r = run.rejections[run.id[i]!]!;
      return { seq, cmd, type: 'Rejected', command: r.command, code: r.code, message: r.message };
    }
    default:
      throw new Error(`viewer payload: unknown fact kind ${k}`);
  }
}
