import { ByteWriter, type LoggedFact } from '@lmm/core';
import type { LogHeader } from '@lmm/replay';
import { isWellFormed } from '../model/idTable.js';
import { COLUMNS, EXPLICIT_BIT, FRAG_SHIFT, FRAGS, FROM_BIT, KIND, MAGIC, REALLOC_BIT, REJECTION_FIELDS, type Column } from '../model/runFacts.js';

/** Strings numbered in order of first appearance. */
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
  /** Each rejection's fields, in `FACT_SCHEMA`'s order. */
  private readonly rejections: unknown[][] = [];
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
        this.rejections.push(REJECTION_FIELDS.map((name) => fact[name]));
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
