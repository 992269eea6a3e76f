import { FACT_FIELDS, MERGED_FIELDS, type FACT_SCHEMA, type FactType, type LoggedFact } from '@lmm/core';
import { FRAG_SHIFT, FRAGS, FROM_BIT, KIND_NAMES, REALLOC_BIT, type RunFacts } from './runFacts.js';

/** Reads one field of fact `i` (its kind code `k`) from the run's columns; undefined when an optional field is absent. */
type FieldReader = (run: RunFacts, i: number, k: number) => unknown;

const family: FieldReader = (run, i) => run.families[run.fam[i]!];
const page: FieldReader = (run, i) => run.page[i];
const offset: FieldReader = (run, i) => run.off[i];
const size: FieldReader = (run, i) => run.size[i];
const units: FieldReader = (run, i) => run.units[i];
const id: FieldReader = (run, i) => run.ids.get(run.id[i]!);
const realloc: FieldReader = (_run, _i, k) => ((k & REALLOC_BIT) !== 0 ? true : undefined);
/** The columns of a Freed fact's `merged` block, by key. */
const MERGED_COLUMNS: { readonly [K in (typeof MERGED_FIELDS)[number]]: 'moff' | 'msize' } = { offset: 'moff', size: 'msize' };
const merged: FieldReader = (run, i) => Object.fromEntries(MERGED_FIELDS.map((key) => [key, run[MERGED_COLUMNS[key]][i]]));
const rejection = (field: keyof RunFacts['rejections'][number]): FieldReader => (run, i) => run.rejections[run.id[i]!]![field];

/**
 * Where each field of each fact type is in the columns (see `RunFacts`): one reader per field
 * of `FACT_SCHEMA`'s row, so a field added to the table and not here fails to compile.
 */
const READERS: { readonly [T in FactType]: { readonly [F in keyof (typeof FACT_SCHEMA)[T]]: FieldReader } } = {
  Registered: { family, size },
  PageRequest: { family, page, count: units },
  Allocated: {
    id,
    family,
    page,
    offset,
    size,
    units,
    frag: (_run, _i, k) => FRAGS[(k >> FRAG_SHIFT) & 3],
    gap: (run, i) => run.gap[i],
    realloc,
    from: (run, i, k) => ((k & FROM_BIT) !== 0 ? run.ids.get(run.from[i]!) : undefined),
  },
  Freed: { id, family, page, offset, size, merged, realloc },
  PageRelease: { family, page, count: units },
  Rejected: { command: rejection('command'), code: rejection('code'), message: rejection('message') },
};

/** Fact `i` rebuilt exactly as its log line had it (keys in `FACT_SCHEMA`'s order, `seq` = i + 1). */
export function factAt(run: RunFacts, i: number): LoggedFact {
  const k = run.kind[i]!;
  const type = KIND_NAMES[k & 7];
  if (type === undefined) throw new Error(`viewer payload: unknown fact kind ${k}`);
  const fact: Record<string, unknown> = { seq: i + 1, cmd: run.cmd[i], type };
  const readers = READERS[type] as Readonly<Record<string, FieldReader>>;
  for (const { name } of FACT_FIELDS[type]) {
    const v = readers[name]!(run, i, k);
    if (v !== undefined) fact[name] = v;
  }
  return fact as unknown as LoggedFact;
}
