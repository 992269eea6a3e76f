import type { StateDump } from '@lmm/core';
import { KIND, type RunFacts } from './runFacts.js';

/**
 * The viewer's own fold of a fact log: plain mutable arrays, fast enough to run a million
 * facts in the browser in well under a second, with compact snapshots to seek from. It
 * trusts its facts (the CLI folds every log through the core engine before it writes a
 * page) and must agree with the core: tests compare `dump()` with the core's state dump.
 */

/** A block: meta at `off`, then `size` data bytes and `gap` bytes of hard fragmentation. */
export interface ModelBlock {
  off: number;
  size: number;
  gap: number;
  /** Id table index of the allocation, or −1 for a free block. */
  id: number;
  /** Queue position stamp of a free block (FIFO among equal sizes); 0 when not queued. */
  qseq: number;
}

/** A run of `count` pages with id `id`, blocks by offset. */
export interface ModelPage {
  readonly id: number;
  readonly count: number;
  /** Family table index. */
  readonly fam: number;
  blocks: ModelBlock[];
}

/** A registered family; `pages` ascending by id (so newest last: list order is reversed). */
export interface ModelFamily {
  readonly name: string;
  readonly size: number;
  /** Index in the run's family table. */
  readonly table: number;
  pages: ModelPage[];
  /** Σ size of its free blocks (kept by every fact, for `avoidableGrowth`). */
  freeBytes: number;
  /** PageRequest facts so far (SPEC §3 `pageRequests`). */
  pageRequests: number;
  /** Page requests for an ordinary block while the free bytes sufficed (SPEC §3 `avoidableGrowth`). */
  avoidableGrowth: number;
}

/** A registered family as a snapshot keeps it. */
export interface SnapshotFamily {
  /** Index in the run's family table. */
  readonly table: number;
  readonly name: string;
  /** Struct size in bytes. */
  readonly size: number;
  /** Its running counters at the snapshot (`ModelFamily`). */
  readonly pageRequests: number;
  readonly avoidableGrowth: number;
}

/** The model after some facts, packed into typed arrays (about 20 bytes a block). */
export interface ModelSnapshot {
  /** Facts applied. */
  readonly facts: number;
  readonly nextQseq: number;
  /** The registered families in registration order (a snapshot restores without the facts before it). */
  readonly families: readonly SnapshotFamily[];
  /** Per page: id, count, family table index, block count. */
  readonly pages: Float64Array;
  /** Per block: offset, size, gap, id + 1 (0 = free), qseq. */
  readonly blocks: Uint32Array;
}

/** Index of the block at offset `off` (binary search), or of where it would go. */
export function blockIndex(blocks: readonly ModelBlock[], off: number): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid]!.off < off) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A heap folded from a decoded run, one fact at a time. */
export class HeapModel {
  /** Registered families, in registration order. */
  families: ModelFamily[] = [];
  private byTable: (ModelFamily | undefined)[] = [];
  private pages = new Map<number, ModelPage>();
  private nextQseq = 1;
  /** Facts applied so far: the next fact to apply is `facts`. */
  facts = 0;

  constructor(
    readonly run: RunFacts,
    /** For a preview run (no facts decoded, `previewRun`): the command the snapshot it restores stands after. */
    private readonly previewCmd?: number,
  ) {}

  /** The command the model stands after: every fact of it and none of the next is applied. */
  get cmd(): number {
    // A preview run has no facts to tell: it stands where its opening state was taken.
    return this.facts === 0 ? 0 : (this.run.cmd[this.facts - 1] ?? this.previewCmd ?? this.run.commands);
  }

  /** Applies facts until the state is the one after command `cmd` (which must not be behind). */
  foldTo(cmd: number): void {
    const end = this.run.firstFact[Math.min(cmd, this.run.commands) + 1]!;
    while (this.facts < end) this.applyNext();
  }

  /** Applies the next fact. */
  applyNext(): void {
    const r = this.run;
    const i = this.facts++;
    const { pageSize, pageHeaderSize, metaSize } = r.header.layout;
    switch (r.kind[i]! & 7) {
      case KIND.Registered: {
        const fam: ModelFamily = { name: r.families[r.fam[i]!]!, size: r.size[i]!, table: r.fam[i]!, pages: [], freeBytes: 0, pageRequests: 0, avoidableGrowth: 0 };
        this.families.push(fam);
        this.byTable[fam.table] = fam;
        return;
      }
      case KIND.PageRequest: {
        const count = r.units[i]!;
        const page: ModelPage = { id: r.page[i]!, count, fam: r.fam[i]!, blocks: [] };
        const size = count * pageSize - pageHeaderSize - metaSize;
        page.blocks.push({ off: pageHeaderSize, size, gap: 0, id: -1, qseq: count === 1 ? this.nextQseq++ : 0 });
        this.pages.set(page.id, page);
        const fam = this.byTable[page.fam]!;
        fam.pages.push(page);
        fam.freeBytes += size;
        fam.pageRequests++;
        return;
      }
      case KIND.Allocated: {
        const page = this.pages.get(r.page[i]!)!;
        const off = r.off[i]!;
        const size = r.size[i]!;
        const gap = r.gap[i]!;
        const at = blockIndex(page.blocks, off);
        const block = page.blocks[at]!;
        const tail = block.size - size - gap;
        const fam = this.byTable[page.fam]!;
        // A single page of one free block was requested for this very block (as in the core's fold).
        if (page.count === 1 && page.blocks.length === 1 && fam.freeBytes - block.size >= size) fam.avoidableGrowth++;
        fam.freeBytes -= block.size;
        page.blocks[at] = { off, size, gap, id: r.id[i]!, qseq: 0 };
        if (tail > 0) {
          page.blocks.splice(at + 1, 0, { off: off + metaSize + size, size: tail - metaSize, gap: 0, id: -1, qseq: this.nextQseq++ });
          fam.freeBytes += tail - metaSize;
        }
        return;
      }
      case KIND.Freed: {
        const page = this.pages.get(r.page[i]!)!;
        const moff = r.moff[i]!;
        const msize = r.msize[i]!;
        const end = moff + metaSize + msize;
        const from = blockIndex(page.blocks, moff);
        let to = from;
        while (to < page.blocks.length && page.blocks[to]!.off < end) to++;
        const whole = moff === pageHeaderSize && end === page.count * pageSize;
        const fam = this.byTable[page.fam]!;
        for (let k = from; k < to; k++) if (page.blocks[k]!.id < 0) fam.freeBytes -= page.blocks[k]!.size;
        fam.freeBytes += msize;
        page.blocks.splice(from, to - from, { off: moff, size: msize, gap: 0, id: -1, qseq: whole ? 0 : this.nextQseq++ });
        return;
      }
      case KIND.PageRelease: {
        const id = r.page[i]!;
        const page = this.pages.get(id)!;
        this.pages.delete(id);
        const fam = this.byTable[page.fam]!;
        fam.pages.splice(fam.pages.indexOf(page), 1);
        fam.freeBytes -= page.blocks[0]!.size;
        return;
      }
      default:
        return; // Rejected: nothing changes
    }
  }

  /** Packs the current state. O(blocks). */
  snapshot(): ModelSnapshot {
    let nPages = 0;
    let nBlocks = 0;
    for (const f of this.families) {
      nPages += f.pages.length;
      for (const p of f.pages) nBlocks += p.blocks.length;
    }
    const pages = new Float64Array(nPages * 4);
    const blocks = new Uint32Array(nBlocks * 5);
    let pi = 0;
    let bi = 0;
    for (const f of this.families) {
      for (const p of f.pages) {
        pages[pi++] = p.id;
        pages[pi++] = p.count;
        pages[pi++] = p.fam;
        pages[pi++] = p.blocks.length;
        for (const b of p.blocks) {
          blocks[bi++] = b.off;
          blocks[bi++] = b.size;
          blocks[bi++] = b.gap;
          blocks[bi++] = b.id + 1;
          blocks[bi++] = b.qseq;
        }
      }
    }
    const families = this.families.map(({ table, name, size, pageRequests, avoidableGrowth }) => ({ table, name, size, pageRequests, avoidableGrowth }));
    return { facts: this.facts, nextQseq: this.nextQseq, families, pages, blocks };
  }

  /** Returns to a snapshot taken from a model of the same run. O(blocks). */
  restore(s: ModelSnapshot): void {
    this.facts = s.facts;
    this.nextQseq = s.nextQseq;
    this.families = [];
    this.byTable = [];
    this.pages = new Map();
    for (const { table, name, size, pageRequests, avoidableGrowth } of s.families) {
      const fam: ModelFamily = { name, size, table, pages: [], freeBytes: 0, pageRequests, avoidableGrowth };
      this.families.push(fam);
      this.byTable[table] = fam;
    }
    let bi = 0;
    for (let pi = 0; pi < s.pages.length; pi += 4) {
      const n = s.pages[pi + 3]!;
      const blocks: ModelBlock[] = new Array(n);
      for (let k = 0; k < n; k++, bi += 5) {
        blocks[k] = { off: s.blocks[bi]!, size: s.blocks[bi + 1]!, gap: s.blocks[bi + 2]!, id: s.blocks[bi + 3]! - 1, qseq: s.blocks[bi + 4]! };
      }
      const page: ModelPage = { id: s.pages[pi]!, count: s.pages[pi + 1]!, fam: s.pages[pi + 2]!, blocks };
      this.pages.set(page.id, page);
      const fam = this.byTable[page.fam]!;
      fam.pages.push(page);
      for (const b of blocks) if (b.id < 0) fam.freeBytes += b.size;
    }
  }

  /** The family's free queue in order: size descending, then stamp ascending. */
  queueOf(fam: ModelFamily): { page: ModelPage; block: ModelBlock }[] {
    const q: { page: ModelPage; block: ModelBlock }[] = [];
    for (const page of fam.pages) for (const block of page.blocks) if (block.id < 0 && block.qseq > 0) q.push({ page, block });
    return q.sort((a, b) => b.block.size - a.block.size || a.block.qseq - b.block.qseq);
  }

  /** The head of the family's free queue (what worst-fit takes next), or undefined. O(blocks of the family). */
  queueHead(fam: ModelFamily): ModelBlock | undefined {
    let best: ModelBlock | undefined;
    for (const page of fam.pages) {
      for (const b of page.blocks) {
        if (b.id >= 0 || b.qseq === 0) continue;
        if (best === undefined || b.size > best.size || (b.size === best.size && b.qseq < best.qseq)) best = b;
      }
    }
    return best;
  }

  /** The policy in force after the current command (a what-if branch's switch taken into account, as `policyAfter` in the core). */
  policyNow(): StateDump['policy'] {
    const { policy, switch: change } = this.run.header;
    return change !== undefined && this.cmd >= change.cmd ? change.policy : policy;
  }

  /** The state dump of SPEC §3, built like the core's `toDump` (same keys, same order). */
  dump(): StateDump {
    const { pageSize, pageHeaderSize, metaSize } = this.run.header.layout;
    const ids = this.run.ids;
    return {
      layout: { pageSize, pageHeaderSize, metaSize },
      policy: this.policyNow(),
      families: this.families.map((fam) => ({
        name: fam.name,
        size: fam.size,
        pages: [...fam.pages].reverse().map((p) => ({
          page: p.id,
          count: p.count,
          blocks: p.blocks.map((b) => (b.id < 0 ? { offset: b.off, size: b.size, free: true, gap: b.gap } : { offset: b.off, size: b.size, free: false, gap: b.gap, id: ids.get(b.id) })),
        })),
        queue: this.queueOf(fam).map(({ page, block }) => ({ page: page.id, offset: block.off, size: block.size })),
      })),
    };
  }
}
