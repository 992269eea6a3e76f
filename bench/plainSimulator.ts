// The honest baseline of issue 12: SPEC §1 written the plain mutable way a user would write
// it, standalone (nothing imported from packages/), for `lmm run` to be measured against.
//
//   node --import tsx bench/plainSimulator.ts TRACE [--facts LOG] [--max-pages N]
//
// Seed layout (pageSize 4096, no page header, 28-byte meta blocks), worst fit, command JSONL
// only. Reads the trace in 64 KiB pieces split into lines, `JSON.parse` per line; families in
// a `Map` by name; page objects; each page's blocks a doubly linked list of objects changed
// in place; a `Map` from live id to block; per family a binary max-heap of its free blocks
// ordered by (size descending, queue stamp ascending). Merges take blocks out of the middle
// of the heap, so the heap is indexed: each block keeps its position in it (`heapAt`), and a
// removal moves the last entry into the hole and sifts it up or down — O(log n), no lazy
// deletion, no tombstones. Keeps only what its output needs: no page list per family (that
// is for state dumps and first fit), running totals for the statistics.
//
// `--facts LOG` writes the fact log of SPEC §3 — the header, then one `JSON.stringify` of a
// `{seq, cmd, type, …}` object per fact, joined 8192 lines at a time and written with one
// `writeSync` (no fsync). Prints one JSON line: commands, facts, rejected, the final total
// statistics (pages, liveBytes, freeBytes, tbc, fbc) and the peak live and heap bytes (taken
// after every command). A line that is not JSON ends the run with `FILE:LINE: not valid JSON`
// and exit status 2. Every rejection of SPEC §1 is made, with lmm's messages.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parseArgs } from 'node:util';

const PAGE_SIZE = 4096;
const HEADER = 0;
const META = 28;
const MAX_ALLOC = PAGE_SIZE - HEADER - META;
const MAX_REQUEST = 2 ** 31;
const FAMILY_NAME = /^[\x21-\x7e]{1,64}$/;

interface Family {
  readonly name: string;
  readonly size: number;
  /** Free blocks, a binary max-heap by (size desc, stamp asc). */
  readonly heap: Block[];
}

interface Page {
  readonly id: number;
  readonly count: number;
}

interface Block {
  readonly page: Page;
  prev: Block | null;
  next: Block | null;
  offset: number;
  size: number;
  free: boolean;
  gap: number;
  id: string | null;
  /** Queue stamp: FIFO order among free blocks of one size. */
  stamp: number;
  /** Position in the family's heap; −1 when not in it. */
  heapAt: number;
}

// ---- the indexed binary max-heap ----

function above(a: Block, b: Block): boolean {
  return a.size > b.size || (a.size === b.size && a.stamp < b.stamp);
}

function siftUp(heap: Block[], i: number): void {
  const b = heap[i]!;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const parent = heap[p]!;
    if (!above(b, parent)) break;
    heap[i] = parent;
    parent.heapAt = i;
    i = p;
  }
  heap[i] = b;
  b.heapAt = i;
}

function siftDown(heap: Block[], i: number): void {
  const b = heap[i]!;
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    let c = l;
    if (r < n && above(heap[r]!, heap[l]!)) c = r;
    const child = heap[c]!;
    if (!above(child, b)) break;
    heap[i] = child;
    child.heapAt = i;
    i = c;
  }
  heap[i] = b;
  b.heapAt = i;
}

function heapPush(heap: Block[], b: Block): void {
  heap.push(b);
  siftUp(heap, heap.length - 1);
}

function heapRemove(heap: Block[], b: Block): void {
  const i = b.heapAt;
  const last = heap.pop()!;
  b.heapAt = -1;
  if (last === b) return;
  heap[i] = last;
  last.heapAt = i;
  if (i > 0 && above(last, heap[(i - 1) >> 1]!)) siftUp(heap, i);
  else siftDown(heap, i);
}

// ---- the heap memory manager ----

const families = new Map<string, Family>();
const familyOf = new Map<Page, Family>();
const live = new Map<string, Block>();
let nextPage = 1;
let stamp = 1;
let maxPages: number | null = null;
// Totals for the statistics.
let pages = 0;
let liveBytes = 0;
let freeBytes = 0;
let tbc = 0;
let fbc = 0;
let peakLive = 0;
let peakHeap = 0;

// ---- facts ----

let out: number | null = null;
let lines: string[] = [];
let seq = 0;
let cmd = 0;
let rejected = 0;

function emit(fact: object): void {
  lines.push(JSON.stringify(fact));
  if (lines.length >= 8192) flush();
}

function flush(): void {
  if (out === null || lines.length === 0) return;
  writeSync(out, `${lines.join('\n')}\n`);
  lines = [];
}

function reject(command: unknown, code: string, message: string): void {
  seq++;
  rejected++;
  if (out !== null) emit({ seq, cmd, type: 'Rejected', command, code, message });
}

/** The first field whose JSON type is wrong, as a message, or undefined. */
function badField(c: Record<string, unknown>, strings: readonly string[], optStrings: readonly string[], numbers: readonly string[], optNumbers: readonly string[]): string | undefined {
  for (const f of strings) {
    if (typeof c[f] !== 'string') return `${f} is not a string`;
    if (c[f] === '' && f !== 'family') return `${f} is empty`;
  }
  for (const f of optStrings) {
    if (c[f] === undefined) continue;
    if (typeof c[f] !== 'string') return `${f} is not a string`;
    if (c[f] === '') return `${f} is empty`;
  }
  for (const f of numbers) if (typeof c[f] !== 'number') return `${f} is not a number`;
  for (const f of optNumbers) if (c[f] !== undefined && typeof c[f] !== 'number') return `${f} is not a number`;
  return undefined;
}

function unitsProblem(units: number, fam: Family): string | undefined {
  if (!Number.isInteger(units) || units < 1) return `units ${units} is not an integer ≥ 1`;
  if (units * fam.size > MAX_REQUEST) return `${units} units of '${fam.name}' (${units * fam.size} bytes) exceed 2^31 bytes`;
  return undefined;
}

function fits(count: number): boolean {
  return maxPages === null || pages + count <= maxPages;
}

function outOfMemory(): string {
  return `the page limit of ${maxPages ?? 0} pages would be exceeded (${pages} in use)`;
}

function execute(input: unknown): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return reject(input, 'E_BAD_COMMAND', 'command is not a JSON object');
  const c = input as Record<string, unknown>;
  switch (c.op) {
    case 'register': {
      const bad = badField(c, ['family'], [], ['size'], []);
      if (bad) return reject(c, 'E_BAD_COMMAND', `register: ${bad}`);
      const name = c.family as string;
      const size = c.size as number;
      if (!FAMILY_NAME.test(name)) return reject(c, 'E_FAMILY_NAME', `family name ${JSON.stringify(name)} is not 1–64 printable ASCII characters without spaces`);
      if (families.has(name)) return reject(c, 'E_FAMILY_EXISTS', `family '${name}' is already registered`);
      if (!Number.isInteger(size) || size < 1 || size > MAX_ALLOC) return reject(c, 'E_FAMILY_SIZE', `family size ${size} is not an integer from 1 to ${MAX_ALLOC}`);
      families.set(name, { name, size, heap: [] });
      seq++;
      if (out !== null) emit({ seq, cmd, type: 'Registered', family: name, size });
      return;
    }
    case 'alloc': {
      const bad = badField(c, ['id', 'family'], [], [], ['units']);
      if (bad) return reject(c, 'E_BAD_COMMAND', `alloc: ${bad}`);
      const id = c.id as string;
      const fam = families.get(c.family as string);
      if (fam === undefined) return reject(c, 'E_UNKNOWN_FAMILY', `family '${c.family as string}' is not registered`);
      const units = (c.units as number | undefined) ?? 1;
      const unitsBad = unitsProblem(units, fam);
      if (unitsBad) return reject(c, 'E_BAD_UNITS', unitsBad);
      if (live.has(id)) return reject(c, 'E_ID_IN_USE', `id '${id}' is already allocated`);
      const block = allocate(fam, id, units, null);
      if (block === null) return reject(c, 'E_OUT_OF_MEMORY', outOfMemory());
      live.set(id, block);
      return;
    }
    case 'free': {
      const bad = badField(c, ['id'], [], [], []);
      if (bad) return reject(c, 'E_BAD_COMMAND', `free: ${bad}`);
      const id = c.id as string;
      const block = live.get(id);
      if (block === undefined) return reject(c, 'E_NOT_ALLOCATED', `id '${id}' is not allocated`);
      live.delete(id);
      release(block, false);
      return;
    }
    case 'realloc': {
      const bad = badField(c, ['id'], ['to'], [], ['units']);
      if (bad) return reject(c, 'E_BAD_COMMAND', `realloc: ${bad}`);
      const id = c.id as string;
      const to = (c.to as string | undefined) ?? id;
      const old = live.get(id);
      if (old === undefined) return reject(c, 'E_NOT_ALLOCATED', `id '${id}' is not allocated`);
      const fam = familyOf.get(old.page)!;
      const units = (c.units as number | undefined) ?? 1;
      const unitsBad = unitsProblem(units, fam);
      if (unitsBad) return reject(c, 'E_BAD_UNITS', unitsBad);
      if (to !== id && live.has(to)) return reject(c, 'E_ID_IN_USE', `id '${to}' is already allocated`);
      // The new block first, while the old one is still allocated; then the old one freed.
      const block = allocate(fam, to, units, id);
      if (block === null) return reject(c, 'E_OUT_OF_MEMORY', outOfMemory());
      live.delete(id);
      release(old, true);
      live.set(to, block);
      return;
    }
    default:
      return reject(c, 'E_BAD_COMMAND', typeof c.op === 'string' ? `unknown op '${c.op}'` : 'op is not a string');
  }
}

function newPage(fam: Family, count: number): Page {
  if (!fits(count)) throw new Error('unreachable: the page limit is checked first');
  const page: Page = { id: nextPage, count };
  nextPage += count;
  pages += count;
  familyOf.set(page, fam);
  seq++;
  if (out !== null) emit({ seq, cmd, type: 'PageRequest', family: fam.name, page: page.id, count });
  return page;
}

function newBlock(page: Page, offset: number, size: number, free: boolean, gap: number, id: string | null): Block {
  return { page, prev: null, next: null, offset, size, free, gap, id, stamp: 0, heapAt: -1 };
}

/** Allocates `units` of `fam` under `id` (a realloc's `from` the old id); null when the page limit forbids it. */
function allocate(fam: Family, id: string, units: number, from: string | null): Block | null {
  const size = units * fam.size;
  let block: Block;
  let frag: string;
  if (size > MAX_ALLOC) {
    const count = Math.ceil((HEADER + META + size) / PAGE_SIZE);
    if (!fits(count)) return null;
    block = newBlock(newPage(fam, count), HEADER, size, false, count * PAGE_SIZE - HEADER - META - size, id);
    frag = 'large';
    tbc++;
  } else {
    let head = fam.heap[0];
    if (head === undefined || head.size < size) {
      if (!fits(1)) return null;
      head = newBlock(newPage(fam, 1), HEADER, MAX_ALLOC, true, 0, null);
      head.stamp = stamp++;
      heapPush(fam.heap, head);
      tbc++;
      fbc++;
      freeBytes += MAX_ALLOC;
    }
    block = head;
    heapRemove(fam.heap, block);
    fbc--;
    freeBytes -= block.size;
    const rem = block.size - size;
    frag = 'none';
    block.free = false;
    block.id = id;
    block.size = size;
    if (rem > 0 && rem <= META) {
      frag = 'hard';
      block.gap = rem;
    } else if (rem > META) {
      if (rem - META < fam.size) frag = 'soft';
      const tail = newBlock(block.page, block.offset + META + size, rem - META, true, 0, null);
      tail.prev = block;
      tail.next = block.next;
      if (block.next !== null) block.next.prev = tail;
      block.next = tail;
      tail.stamp = stamp++;
      heapPush(fam.heap, tail);
      tbc++;
      fbc++;
      freeBytes += tail.size;
    }
  }
  liveBytes += size;
  seq++;
  if (out !== null) {
    const { page, offset, gap } = block;
    emit(
      from === null
        ? { seq, cmd, type: 'Allocated', id, family: fam.name, page: page.id, offset, size, units, frag, gap }
        : { seq, cmd, type: 'Allocated', id, family: fam.name, page: page.id, offset, size, units, frag, gap, realloc: true, from },
    );
  }
  return block;
}

/** Frees an allocated block (its id already dropped): merges, then releases its page or queues the survivor. */
function release(block: Block, realloc: boolean): void {
  const page = block.page;
  const fam = familyOf.get(page)!;
  const { offset, size, id } = block;
  liveBytes -= size;
  block.free = true;
  block.id = null;
  block.size += block.gap;
  block.gap = 0;
  let survivor = block;
  const next = block.next;
  if (next !== null && next.free) {
    heapRemove(fam.heap, next);
    block.size += META + next.size;
    block.next = next.next;
    if (next.next !== null) next.next.prev = block;
    tbc--;
    fbc--;
    freeBytes -= next.size;
  }
  const prev = block.prev;
  if (prev !== null && prev.free) {
    heapRemove(fam.heap, prev);
    fbc--;
    freeBytes -= prev.size;
    prev.size += META + block.size;
    prev.next = block.next;
    if (block.next !== null) block.next.prev = prev;
    tbc--;
    survivor = prev;
  }
  seq++;
  if (out !== null) {
    const merged = { offset: survivor.offset, size: survivor.size };
    emit(
      realloc
        ? { seq, cmd, type: 'Freed', id, family: fam.name, page: page.id, offset, size, merged, realloc: true }
        : { seq, cmd, type: 'Freed', id, family: fam.name, page: page.id, offset, size, merged },
    );
  }
  if (survivor.prev === null && survivor.next === null) {
    // The page holds nothing any more (a large run always ends here).
    tbc--;
    pages -= page.count;
    familyOf.delete(page);
    seq++;
    if (out !== null) emit({ seq, cmd, type: 'PageRelease', family: fam.name, page: page.id, count: page.count });
    return;
  }
  survivor.stamp = stamp++;
  heapPush(fam.heap, survivor);
  fbc++;
  freeBytes += survivor.size;
}

// ---- the run ----

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { facts: { type: 'string' }, 'max-pages': { type: 'string' } },
});
const trace = positionals[0];
if (trace === undefined) {
  process.stderr.write('usage: plainSimulator TRACE [--facts LOG] [--max-pages N]\n');
  process.exit(2);
}
if (values['max-pages'] !== undefined) maxPages = Number(values['max-pages']);
if (values.facts !== undefined) {
  out = openSync(values.facts, 'w');
  lines.push(JSON.stringify({ format: 'lmm-log', version: 1, layout: { pageSize: PAGE_SIZE, pageHeaderSize: HEADER, metaSize: META }, policy: 'worst-fit', maxPages }));
}

function runLine(text: string, lineNo: number): void {
  if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  const t = text.trimStart();
  if (t === '' || t.startsWith('#')) return;
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    process.stderr.write(`${trace}:${lineNo}: not valid JSON\n`);
    process.exit(2);
  }
  cmd++;
  execute(input);
  const heap = pages * PAGE_SIZE;
  if (liveBytes > peakLive) peakLive = liveBytes;
  if (heap > peakHeap) peakHeap = heap;
}

const fd = openSync(trace, 'r');
const chunk = Buffer.allocUnsafe(1 << 16);
const decoder = new StringDecoder('utf8');
let rest = '';
let lineNo = 0;
for (;;) {
  const n = readSync(fd, chunk, 0, chunk.length, null);
  const text = n === 0 ? rest + decoder.end() : rest + decoder.write(chunk.subarray(0, n));
  const parts = text.split('\n');
  rest = n === 0 ? '' : parts.pop()!;
  if (lineNo === 0 && parts.length > 0 && parts[0]!.startsWith('\uFEFF')) parts[0] = parts[0]!.slice(1);
  for (const part of parts) runLine(part, ++lineNo);
  if (n === 0) break;
}
closeSync(fd);
if (out !== null) {
  flush();
  closeSync(out);
}
process.stdout.write(
  `${JSON.stringify({ commands: cmd, facts: seq, rejected, total: { pages, liveBytes, freeBytes, tbc, fbc }, peak: { liveBytes: peakLive, heapBytes: peakHeap } })}\n`,
);
