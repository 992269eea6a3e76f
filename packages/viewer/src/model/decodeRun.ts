import type { LogHeader } from '@lmm/replay';
import { ByteReader } from '@lmm/core';
import { IdTable } from './idTable.js';
import { EXPLICIT_BIT, FROM_BIT, KIND, MAGIC, REJECTION_FIELDS, type RejectionRecord, type RunFacts } from './runFacts.js';

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
  const rejections = (meta.rejections as unknown[][]).map((values) => Object.fromEntries(REJECTION_FIELDS.map((name, j) => [name, values[j]])) as unknown as RejectionRecord);
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
