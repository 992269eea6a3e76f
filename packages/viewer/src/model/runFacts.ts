import { FACT_FIELDS, FACT_TYPES, FRAGS, type FactType, type RejectedFact } from '@lmm/core';
import type { LogHeader } from '@lmm/replay';

/**
 * The compact form of a fact log the viewer page carries: strings go to tables (families,
 * ids, rejections), numbers to one varint column per field, coded against what the reader
 * already knows: page ids as deltas, an allocation's offset against the end of the last
 * allocation in its page, ids by age (0 for a new id), and a free's block from the id's
 * allocation. The log of a million commands is a few megabytes once gzipped. Lossless:
 * `factAt` rebuilds every fact exactly as its log line had it. Runs in Node and in the page.
 */

/** Fact type codes in the kind column (bits 0–2): each type's index in `FACT_TYPES`. */
export const KIND = Object.fromEntries(FACT_TYPES.map((t, i) => [t, i])) as { readonly [T in FactType]: number };
/** The fact type of each kind code (`FACT_TYPES`). */
export const KIND_NAMES: readonly FactType[] = FACT_TYPES;
/** The Allocated fact's `frag` values by their code in the kind column (`FRAGS`). */
export { FRAGS };
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

/** The payload's varint columns, in the order they are stored. */
export const COLUMNS = ['kind', 'cmd', 'fam', 'page', 'off', 'size', 'count', 'gap', 'moff', 'msize', 'id', 'from'] as const;
/** A payload column's name. */
export type Column = (typeof COLUMNS)[number];
/** The payload's first bytes: "LMMV" and the format number, 1. */
export const MAGIC = [0x4c, 0x4d, 0x4d, 0x56, 1] as const;

/** Ids by index: the run's whole table, or, for the page's first picture, only those of its last state. */
export interface Ids {
  /** How many ids the run has. */
  readonly length: number;
  /** Id `i`. */
  get(i: number): string;
}

/** A rejected command as the tables keep it: its Rejected fact's fields. */
export type RejectionRecord = Omit<RejectedFact, 'type'>;

/** A Rejected fact's fields in `FACT_SCHEMA`'s order: the payload keeps a rejection as their values, in this order. */
export const REJECTION_FIELDS = FACT_FIELDS.Rejected.map((f) => f.name as keyof RejectionRecord);

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
  readonly ids: Ids;
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
