import { walkOrder } from './policy.js';
import { ORDINAL_LIMIT, queueKey, walkKey, type HeapState } from './state.js';

/**
 * Checks every invariant of SPEC §2 that a single state can show (1–7) and the running
 * counters; returns what is broken, one message each, empty when all hold. O(n): for tests
 * and fuzzing, not for the hot path.
 */
export function checkInvariants(state: HeapState): string[] {
  const errors: string[] = [];
  const { pageSize, pageHeaderSize, metaSize } = state.layout;
  let pagesInUse = 0;
  let allocated = 0;
  for (const fam of state.families.values()) {
    const where = `family '${fam.name}'`;
    let pageCount = 0, blockCount = 0, freeCount = 0, liveBytes = 0, freeBytes = 0, gapBytes = 0, softBytes = 0;
    const free = new Map<string, number>();
    let lastOrd = 0;
    for (const page of fam.pages.values()) {
      pageCount += page.count;
      const at = `${where} page ${page.page}`;
      if (page.count === 1 ? page.ord <= lastOrd || page.ord >= state.nextOrd : page.ord !== 0) errors.push(`${at}: ordinal ${page.ord} out of order (last ${lastOrd}, next ${state.nextOrd})`);
      if (page.count === 1) lastOrd = page.ord;
      let cursor = pageHeaderSize;
      let prevFree = false;
      for (const [off, b] of page.blocks.entries()) {
        if (off !== b.offset) errors.push(`${at}: block keyed ${off} says offset ${b.offset}`);
        if (b.offset !== cursor) errors.push(`${at}: block at ${b.offset}, expected ${cursor} (inv 1)`);
        cursor = b.offset + metaSize + b.size + b.gap;
        blockCount++;
        if (b.free) {
          if (prevFree) errors.push(`${at}: adjacent free blocks at ${b.offset} (inv 2)`);
          if (b.gap !== 0) errors.push(`${at}: free block at ${b.offset} has gap ${b.gap} (inv 4)`);
          if (b.size <= 0) errors.push(`${at}: free block at ${b.offset} has size ${b.size} (inv 4)`);
          if (b.id !== null) errors.push(`${at}: free block at ${b.offset} has id`);
          freeCount++;
          freeBytes += b.size;
          if (b.size < fam.size) softBytes += b.size;
          free.set(`${page.page}:${b.offset}`, b.size);
          const q = fam.queue.get(queueKey(b.size, b.qseq));
          if (b.qseq >= state.nextQseq) errors.push(`${at}: free block at ${b.offset} has stamp ${b.qseq} ≥ next ${state.nextQseq}`);
          if (b.qseq <= 0 || q === undefined || q.page !== page.page || q.offset !== b.offset) errors.push(`${at}: free block at ${b.offset} is not in the queue (inv 5)`);
        } else {
          allocated++;
          liveBytes += b.size;
          gapBytes += b.gap;
          if (page.count === 1 && b.gap > metaSize) errors.push(`${at}: gap ${b.gap} > metaSize (inv 4)`);
          const ref = b.id === null ? undefined : state.live.get(b.id);
          if (ref === undefined || ref.family !== fam.index || ref.page !== page.page || ref.offset !== b.offset) {
            errors.push(`${at}: allocated block at ${b.offset} ('${b.id}') is not live there (inv 6)`);
          }
        }
        prevFree = b.free;
      }
      if (cursor !== page.count * pageSize) errors.push(`${at}: blocks end at ${cursor}, not ${page.count * pageSize} (inv 1)`);
      if (page.count === 1 && page.blocks.size === 1 && page.blocks.get(pageHeaderSize)?.free) errors.push(`${at}: empty page kept (inv 3)`);
      if (page.count > 1 && (page.blocks.size !== 1 || page.blocks.get(pageHeaderSize)?.free !== false)) errors.push(`${at}: a large run must hold one allocated block`);
    }
    if (fam.queue.size !== free.size) errors.push(`${where}: queue has ${fam.queue.size} entries for ${free.size} free blocks (inv 5)`);
    let lastSize = Infinity;
    for (const q of fam.queue.values()) {
      if (free.get(`${q.page}:${q.offset}`) !== q.size) errors.push(`${where}: queue entry ${q.page}:${q.offset}=${q.size} is no free block (inv 5)`);
      if (q.size > lastSize) errors.push(`${where}: queue not in descending size order (inv 5)`);
      lastSize = q.size;
    }
    const order = walkOrder(state.policy);
    if (order === 'none') {
      if (fam.walk.size !== 0) errors.push(`${where}: ${state.policy} keeps a walk index of ${fam.walk.size} entries`);
    } else {
      if (fam.walk.size !== free.size) errors.push(`${where}: walk index has ${fam.walk.size} entries for ${free.size} free blocks`);
      for (const [k, b] of fam.walk.entries()) {
        const ord = fam.pages.get(b.page)?.ord ?? -1;
        if (k !== walkKey(order, ord, b.offset) || free.get(`${b.page}:${b.offset}`) !== b.size) errors.push(`${where}: walk entry ${b.page}:${b.offset} is no free block`);
      }
    }
    const counters = { pageCount, blockCount, freeCount, liveBytes, freeBytes, gapBytes, softBytes };
    for (const [k, v] of Object.entries(counters)) {
      if (fam[k as keyof typeof counters] !== v) errors.push(`${where}: counter ${k} is ${fam[k as keyof typeof counters]}, recomputed ${v}`);
    }
    pagesInUse += pageCount;
  }
  if (state.nextQseq > ORDINAL_LIMIT || state.nextOrd > ORDINAL_LIMIT) errors.push(`next stamp ${state.nextQseq} or ordinal ${state.nextOrd} is past ${ORDINAL_LIMIT}`);
  if (pagesInUse !== state.pagesInUse) errors.push(`pagesInUse ${state.pagesInUse} but pages hold ${pagesInUse} (inv 7)`);
  let liveBytes = 0;
  for (const fam of state.families.values()) liveBytes += fam.liveBytes;
  if (liveBytes !== state.liveBytes) errors.push(`liveBytes ${state.liveBytes} but families hold ${liveBytes}`);
  if (allocated !== state.live.size) errors.push(`${state.live.size} live ids for ${allocated} allocated blocks (inv 6)`);
  return errors;
}
