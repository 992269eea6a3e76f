/**
 * Invariants of SPEC §2 checked on a state dump (SPEC §3) alone, independently of the
 * core's own `checkInvariants`: what a reader of `lmm show --json` could verify.
 */
import type { StateDump } from '@lmm/core';

/** What breaks SPEC §2 (1–5, 6 as far as a dump shows it) in `dump`; empty when nothing. */
export function dumpProblems(dump: StateDump): string[] {
  const errors: string[] = [];
  const { pageSize, pageHeaderSize: H, metaSize: M } = dump.layout;
  const ids = new Set<string>();
  const pageIds = new Set<number>();
  for (const fam of dump.families) {
    const free = new Map<string, number>();
    let lastPage = Infinity;
    for (const page of fam.pages) {
      const at = `${fam.name} page ${page.page}`;
      if (page.page >= lastPage) errors.push(`${at}: pages not newest first`);
      lastPage = page.page;
      if (pageIds.has(page.page)) errors.push(`${at}: page id used twice`);
      pageIds.add(page.page);
      if (!Number.isInteger(page.count) || page.count < 1) errors.push(`${at}: count ${page.count}`);
      let cursor = H;
      let prevFree = false;
      for (const b of page.blocks) {
        if (b.offset !== cursor) errors.push(`${at}: block at ${b.offset}, expected ${cursor} (1)`);
        cursor = b.offset + M + b.size + b.gap;
        if (b.free) {
          if (prevFree) errors.push(`${at}: two free blocks side by side at ${b.offset} (2)`);
          if (b.gap !== 0) errors.push(`${at}: free block with gap (4)`);
          if (b.size <= 0) errors.push(`${at}: free block of ${b.size} bytes (4)`);
          if (b.id !== undefined) errors.push(`${at}: free block with id (6)`);
          free.set(`${page.page}:${b.offset}`, b.size);
        } else {
          if (b.id === undefined || b.id === '') errors.push(`${at}: allocated block without id (6)`);
          else if (ids.has(b.id)) errors.push(`${at}: id '${b.id}' on two blocks (6)`);
          else ids.add(b.id);
          if (b.gap < 0 || (page.count === 1 && b.gap > M)) errors.push(`${at}: gap ${b.gap} (4)`);
          if (b.size <= 0) errors.push(`${at}: allocated block of ${b.size} bytes`);
          if (page.count === 1 && b.size > pageSize - H - M) errors.push(`${at}: ${b.size} bytes on one page`);
        }
        prevFree = b.free;
      }
      if (cursor !== page.count * pageSize) errors.push(`${at}: blocks end at ${cursor}, page at ${page.count * pageSize} (1)`);
      if (page.blocks.length === 0) errors.push(`${at}: no block`);
      if (page.blocks.length === 1 && page.blocks[0]!.free) errors.push(`${at}: empty page kept (3)`);
      if (page.count > 1 && (page.blocks.length !== 1 || page.blocks[0]!.free)) errors.push(`${at}: a large run must hold exactly one allocated block`);
    }
    if (fam.queue.length !== free.size) errors.push(`${fam.name}: ${fam.queue.length} queue entries for ${free.size} free blocks (5)`);
    const seen = new Set<string>();
    let last = Infinity;
    for (const q of fam.queue) {
      const key = `${q.page}:${q.offset}`;
      if (free.get(key) !== q.size) errors.push(`${fam.name}: queue entry ${key}=${q.size} is no free block (5)`);
      if (seen.has(key)) errors.push(`${fam.name}: queue entry ${key} twice (5)`);
      seen.add(key);
      if (q.size > last) errors.push(`${fam.name}: queue not by size descending (5)`);
      last = q.size;
    }
  }
  return errors;
}

/** The ids of all allocated blocks in a dump, sorted. */
export function dumpIds(dump: StateDump): string[] {
  const ids: string[] = [];
  for (const fam of dump.families) for (const page of fam.pages) for (const b of page.blocks) if (b.id !== undefined) ids.push(b.id);
  return ids.sort();
}

/** Σ count of the pages in a dump. */
export function dumpPages(dump: StateDump): number {
  let n = 0;
  for (const fam of dump.families) for (const page of fam.pages) n += page.count;
  return n;
}
