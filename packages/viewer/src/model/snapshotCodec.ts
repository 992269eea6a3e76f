import { ByteReader, ByteWriter, type Layout } from '@lmm/core';
import type { ModelSnapshot } from './heapModel.js';

/**
 * A model snapshot as bytes, to carry a state inside the page (the last state, so the page
 * can show it before folding anything). Block offsets are not stored: blocks tile their page
 * from the page header on, so each offset follows from the block before it.
 */

/** Encodes a snapshot of a model with this layout. */
export function encodeSnapshot(snap: ModelSnapshot, layout: Layout): Uint8Array {
  const w = new ByteWriter();
  w.uint(snap.facts);
  w.uint(snap.nextQseq);
  const families = new TextEncoder().encode(JSON.stringify(snap.families.map((f) => [f.table, f.name, f.size, f.pageRequests, f.avoidableGrowth])));
  w.uint(families.length);
  for (const b of families) w.byte(b);
  w.uint(snap.pages.length / 4);
  let bi = 0;
  let lastPage = 0;
  for (let pi = 0; pi < snap.pages.length; pi += 4) {
    const n = snap.pages[pi + 3]!;
    w.int(snap.pages[pi]! - lastPage);
    lastPage = snap.pages[pi]!;
    w.uint(snap.pages[pi + 1]!);
    w.uint(snap.pages[pi + 2]!);
    w.uint(n);
    let off = layout.pageHeaderSize;
    for (let k = 0; k < n; k++, bi += 5) {
      if (snap.blocks[bi] !== off) throw new RangeError(`snapshot: a block at ${snap.blocks[bi]} where the one before ends at ${off}`);
      const size = snap.blocks[bi + 1]!;
      const gap = snap.blocks[bi + 2]!;
      w.uint(size);
      w.uint(gap);
      w.uint(snap.blocks[bi + 3]!);
      w.uint(snap.blocks[bi + 4]!);
      off += layout.metaSize + size + gap;
    }
  }
  return w.bytes();
}

/** Decodes what `encodeSnapshot` wrote. */
export function decodeSnapshot(bytes: Uint8Array, layout: Layout): ModelSnapshot {
  const r = new ByteReader(bytes);
  const facts = r.uint();
  const nextQseq = r.uint();
  const list = JSON.parse(new TextDecoder().decode(r.take(r.uint()))) as [number, string, number, number, number][];
  const families = list.map(([table, name, size, pageRequests, avoidableGrowth]) => ({ table, name, size, pageRequests, avoidableGrowth }));
  const nPages = r.uint();
  const pages = new Float64Array(nPages * 4);
  const blocks: number[] = [];
  let lastPage = 0;
  for (let p = 0; p < nPages; p++) {
    lastPage += r.int();
    const count = r.uint();
    const fam = r.uint();
    const n = r.uint();
    pages.set([lastPage, count, fam, n], p * 4);
    let off = layout.pageHeaderSize;
    for (let k = 0; k < n; k++) {
      const size = r.uint();
      const gap = r.uint();
      blocks.push(off, size, gap, r.uint(), r.uint());
      off += layout.metaSize + size + gap;
    }
  }
  if (!r.done) throw new Error('snapshot: bytes left over');
  return { facts, nextQseq, families, pages, blocks: Uint32Array.from(blocks) };
}
