/**
 * A deliberately naive reference model of SPEC §1, written from the spec's text alone
 * (plain arrays, linear scans, mutable objects) to check the engine's decisions: it
 * produces the same facts and the same state dump (SPEC §3) as the core, or a test fails.
 * Rejected facts are compared by code and command only (messages are free text).
 */
import type { Fact, Layout, Policy, RejectionCode } from '@lmm/core';

interface MBlock {
  page: number;
  offset: number;
  size: number;
  free: boolean;
  gap: number;
  id: string | null;
}

interface MPage {
  page: number;
  count: number;
  /** By offset. */
  blocks: MBlock[];
}

interface MFamily {
  name: string;
  size: number;
  /** List order: a new page goes to the front. */
  pages: MPage[];
  /** Free blocks: size descending, FIFO among equal sizes. */
  queue: MBlock[];
  /** PageRequest facts so far. */
  pageRequests: number;
  /** Page requests for an ordinary block while the family's free bytes were ≥ the request. */
  avoidableGrowth: number;
}

/** A fact the model produces; Rejected without its message. */
export type ModelFact = Exclude<Fact, { type: 'Rejected' }> | { type: 'Rejected'; command: unknown; code: RejectionCode };

const MAX_BYTES = 2 ** 31;

function isPrintableName(name: string): boolean {
  if (name.length < 1 || name.length > 64) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

/** The naive model: `run(command)` returns the facts of one command and updates the model. */
export class NaiveHeap {
  readonly families: MFamily[] = [];
  nextPage = 1;
  pagesInUse = 0;
  private readonly maxAlloc: number;

  constructor(
    readonly layout: Layout,
    /** The policy of the commands that follow; a what-if branch changes it between commands. */
    public policy: Policy,
    readonly maxPages: number | null,
  ) {
    this.maxAlloc = layout.pageSize - layout.pageHeaderSize - layout.metaSize;
  }

  /** All allocated blocks, found by walking everything. */
  private allocatedBlocks(): { fam: MFamily; page: MPage; block: MBlock }[] {
    const out: { fam: MFamily; page: MPage; block: MBlock }[] = [];
    for (const fam of this.families) for (const page of fam.pages) for (const block of page.blocks) if (!block.free) out.push({ fam, page, block });
    return out;
  }

  private findLive(id: string): { fam: MFamily; page: MPage; block: MBlock } | undefined {
    return this.allocatedBlocks().find((x) => x.block.id === id);
  }

  /** Puts a free block into its family's queue behind every block at least as big. */
  private enqueue(fam: MFamily, block: MBlock): void {
    let i = 0;
    while (i < fam.queue.length && fam.queue[i]!.size >= block.size) i++;
    fam.queue.splice(i, 0, block);
  }

  private dequeue(fam: MFamily, block: MBlock): void {
    const i = fam.queue.indexOf(block);
    if (i < 0) throw new Error('model: block not in queue');
    fam.queue.splice(i, 1);
  }

  run(input: unknown): ModelFact[] {
    const reject = (code: RejectionCode): ModelFact[] => [{ type: 'Rejected', command: input, code }];
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return reject('E_BAD_COMMAND');
    const cmd = input as Record<string, unknown>;
    const unitsOk = cmd.units === undefined || typeof cmd.units === 'number';
    switch (cmd.op) {
      case 'register': {
        if (typeof cmd.family !== 'string' || typeof cmd.size !== 'number') return reject('E_BAD_COMMAND');
        const name = cmd.family;
        const size = cmd.size;
        if (!isPrintableName(name)) return reject('E_FAMILY_NAME');
        if (this.families.some((f) => f.name === name)) return reject('E_FAMILY_EXISTS');
        if (!Number.isInteger(size) || size < 1 || size > this.maxAlloc) return reject('E_FAMILY_SIZE');
        this.families.push({ name, size, pages: [], queue: [], pageRequests: 0, avoidableGrowth: 0 });
        return [{ type: 'Registered', family: name, size }];
      }
      case 'alloc': {
        if (!isNonEmptyString(cmd.id) || typeof cmd.family !== 'string' || !unitsOk) return reject('E_BAD_COMMAND');
        const fam = this.families.find((f) => f.name === cmd.family);
        if (fam === undefined) return reject('E_UNKNOWN_FAMILY');
        const units = (cmd.units as number | undefined) ?? 1;
        if (!this.unitsValid(units, fam)) return reject('E_BAD_UNITS');
        if (this.findLive(cmd.id) !== undefined) return reject('E_ID_IN_USE');
        const facts = this.allocate(fam, cmd.id, units, undefined);
        return facts ?? reject('E_OUT_OF_MEMORY');
      }
      case 'free': {
        if (!isNonEmptyString(cmd.id)) return reject('E_BAD_COMMAND');
        const found = this.findLive(cmd.id);
        if (found === undefined) return reject('E_NOT_ALLOCATED');
        return this.release(found.fam, found.page, found.block, false);
      }
      case 'realloc': {
        if (!isNonEmptyString(cmd.id) || (cmd.to !== undefined && !isNonEmptyString(cmd.to)) || !unitsOk) return reject('E_BAD_COMMAND');
        const id = cmd.id;
        const to = (cmd.to as string | undefined) ?? id;
        const found = this.findLive(id);
        if (found === undefined) return reject('E_NOT_ALLOCATED');
        const units = (cmd.units as number | undefined) ?? 1;
        if (!this.unitsValid(units, found.fam)) return reject('E_BAD_UNITS');
        if (to !== id && this.findLive(to) !== undefined) return reject('E_ID_IN_USE');
        const allocFacts = this.allocate(found.fam, to, units, id);
        if (allocFacts === undefined) return reject('E_OUT_OF_MEMORY');
        // The old block is found again by identity: its page and neighbours may have changed.
        const page = found.fam.pages.find((p) => p.blocks.includes(found.block))!;
        return [...allocFacts, ...this.release(found.fam, page, found.block, true)];
      }
      default:
        return reject('E_BAD_COMMAND');
    }
  }

  private unitsValid(units: number, fam: MFamily): boolean {
    return Number.isInteger(units) && units >= 1 && units * fam.size <= MAX_BYTES;
  }

  private fits(count: number): boolean {
    return this.maxPages === null || this.pagesInUse + count <= this.maxPages;
  }

  private newPage(fam: MFamily, count: number): MPage {
    const page: MPage = { page: this.nextPage, count, blocks: [] };
    fam.pageRequests++;
    this.nextPage += count;
    this.pagesInUse += count;
    fam.pages.unshift(page);
    return page;
  }

  /** SPEC §1 alloc after its checks; undefined when the page limit forbids it (nothing changed then). */
  private allocate(fam: MFamily, id: string, units: number, from: string | undefined): ModelFact[] | undefined {
    const { pageSize, pageHeaderSize: H, metaSize: M } = this.layout;
    const size = units * fam.size;
    const extra = from === undefined ? {} : { realloc: true as const, from };
    const facts: ModelFact[] = [];
    if (size > this.maxAlloc) {
      const k = Math.ceil((H + M + size) / pageSize);
      if (!this.fits(k)) return undefined;
      const page = this.newPage(fam, k);
      const gap = k * pageSize - H - M - size;
      page.blocks.push({ page: page.page, offset: H, size, free: false, gap, id });
      facts.push({ type: 'PageRequest', family: fam.name, page: page.page, count: k });
      facts.push({ type: 'Allocated', id, family: fam.name, page: page.page, offset: H, size, units, frag: 'large', gap, ...extra });
      return facts;
    }
    let chosen = this.choose(fam, size);
    if (chosen === undefined) {
      if (!this.fits(1)) return undefined;
      let freeBytes = 0;
      for (const b of fam.queue) freeBytes += b.size;
      if (freeBytes >= size) fam.avoidableGrowth++;
      const page = this.newPage(fam, 1);
      chosen = { page: page.page, offset: H, size: this.maxAlloc, free: true, gap: 0, id: null };
      page.blocks.push(chosen);
      this.enqueue(fam, chosen);
      facts.push({ type: 'PageRequest', family: fam.name, page: page.page, count: 1 });
    }
    this.dequeue(fam, chosen);
    const rem = chosen.size - size;
    let frag: 'none' | 'hard' | 'soft' = 'none';
    let gap = 0;
    const page = fam.pages.find((p) => p.page === chosen.page)!;
    if (rem > 0 && rem <= M) {
      frag = 'hard';
      gap = rem;
    } else if (rem > M) {
      const rest: MBlock = { page: chosen.page, offset: chosen.offset + M + size, size: rem - M, free: true, gap: 0, id: null };
      page.blocks.splice(page.blocks.indexOf(chosen) + 1, 0, rest);
      this.enqueue(fam, rest);
      if (rest.size < fam.size) frag = 'soft';
    }
    chosen.free = false;
    chosen.size = size;
    chosen.gap = gap;
    chosen.id = id;
    facts.push({ type: 'Allocated', id, family: fam.name, page: chosen.page, offset: chosen.offset, size, units, frag, gap, ...extra });
    return facts;
  }

  private choose(fam: MFamily, size: number): MBlock | undefined {
    switch (this.policy) {
      case 'worst-fit': {
        const head = fam.queue[0];
        return head !== undefined && head.size >= size ? head : undefined;
      }
      case 'best-fit': {
        let best: MBlock | undefined;
        for (const b of fam.queue) if (b.size >= size && (best === undefined || b.size < best.size)) best = b;
        return best;
      }
      case 'first-fit': {
        for (const page of fam.pages) for (const b of page.blocks) if (b.free && b.size >= size) return b;
        return undefined;
      }
      case 'address-first-fit': {
        const byAddress = [...fam.pages].sort((a, b) => a.page - b.page);
        for (const page of byAddress) for (const b of page.blocks) if (b.free && b.size >= size) return b;
        return undefined;
      }
    }
  }

  /** SPEC §1 free of a live block (also the second half of a realloc). */
  private release(fam: MFamily, page: MPage, block: MBlock, realloc: boolean): ModelFact[] {
    const { metaSize: M } = this.layout;
    const offset = block.offset;
    const allocatedSize = block.size;
    const id = block.id!;
    block.free = true;
    block.id = null;
    block.size += block.gap;
    block.gap = 0;
    const flag = realloc ? { realloc: true as const } : {};
    if (page.count > 1) {
      const freed: ModelFact = { type: 'Freed', id, family: fam.name, page: page.page, offset, size: allocatedSize, merged: { offset: block.offset, size: block.size }, ...flag };
      this.dropPage(fam, page);
      return [freed, { type: 'PageRelease', family: fam.name, page: page.page, count: page.count }];
    }
    let survivor = block;
    let i = page.blocks.indexOf(block);
    const next = page.blocks[i + 1];
    if (next !== undefined && next.free) {
      survivor.size += M + next.size;
      this.dequeue(fam, next);
      page.blocks.splice(i + 1, 1);
    }
    const prev = page.blocks[i - 1];
    if (prev !== undefined && prev.free) {
      prev.size += M + survivor.size;
      this.dequeue(fam, prev);
      page.blocks.splice(i, 1);
      survivor = prev;
      i--;
    }
    const freed: ModelFact = { type: 'Freed', id, family: fam.name, page: page.page, offset, size: allocatedSize, merged: { offset: survivor.offset, size: survivor.size }, ...flag };
    if (page.blocks.length === 1) {
      this.dropPage(fam, page);
      return [freed, { type: 'PageRelease', family: fam.name, page: page.page, count: 1 }];
    }
    this.enqueue(fam, survivor);
    return [freed];
  }

  private dropPage(fam: MFamily, page: MPage): void {
    fam.pages.splice(fam.pages.indexOf(page), 1);
    this.pagesInUse -= page.count;
  }

  /** The state dump of SPEC §3. */
  dump(): unknown {
    const { pageSize, pageHeaderSize, metaSize } = this.layout;
    return {
      layout: { pageSize, pageHeaderSize, metaSize },
      policy: this.policy,
      families: this.families.map((f) => ({
        name: f.name,
        size: f.size,
        pages: f.pages.map((p) => ({
          page: p.page,
          count: p.count,
          blocks: p.blocks.map((b) => (b.id === null ? { offset: b.offset, size: b.size, free: b.free, gap: b.gap } : { offset: b.offset, size: b.size, free: b.free, gap: b.gap, id: b.id })),
        })),
        queue: f.queue.map((b) => ({ page: b.page, offset: b.offset, size: b.size })),
      })),
    };
  }

  /** Σ size of the allocated blocks (SPEC §3 `liveBytes`), found by walking every page. */
  liveBytes(): number {
    return this.allocatedBlocks().reduce((n, x) => n + x.block.size, 0);
  }

  /** Live ids, sorted. */
  liveIds(): string[] {
    return this.allocatedBlocks()
      .map((x) => x.block.id!)
      .sort();
  }
}

/**
 * A run's peaks as SPEC §3 and §5 define them, computed with the naive model: live and heap
 * bytes after every command, each maximum with the first command (1-based) after which it
 * was reached (0 when the run never held a page or a live byte), and the utilization
 * peakLiveBytes / peakHeapBytes (0 when no page was ever held).
 */
export interface NaivePeak {
  readonly liveBytes: number;
  readonly liveCmd: number;
  readonly heapBytes: number;
  readonly heapCmd: number;
  /** Pages in use when the heap peak was first reached. */
  readonly pages: number;
  readonly utilization: number;
}

/** Runs `commands` on a fresh naive heap and returns its peaks (`NaivePeak`). */
export function naivePeak(layout: Layout, policy: Policy, maxPages: number | null, commands: readonly unknown[]): NaivePeak {
  const heap = new NaiveHeap(layout, policy, maxPages);
  let liveBytes = 0, liveCmd = 0, heapBytes = 0, heapCmd = 0, pages = 0;
  commands.forEach((command, i) => {
    heap.run(command);
    const live = heap.liveBytes();
    const bytes = heap.pagesInUse * layout.pageSize;
    if (live > liveBytes) [liveBytes, liveCmd] = [live, i + 1];
    if (bytes > heapBytes) [heapBytes, heapCmd, pages] = [bytes, i + 1, heap.pagesInUse];
  });
  return { liveBytes, liveCmd, heapBytes, heapCmd, pages, utilization: heapBytes === 0 ? 0 : liveBytes / heapBytes };
}
