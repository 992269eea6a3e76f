// A measuring instrument for `bench core`, not part of lmm: the same worst-fit allocator on
// the seed layout written the plain mutable way (a JS Map of live ids, one array of block
// objects per page changed in place, the free queue in a B+ tree written in place, no
// snapshots, no facts). What it costs per command at 1k, 10k and 100k live blocks is the
// floor that no persistent design of this heap can go below on this machine, and its
// 100k ÷ 1k ratio shows how much of the growth comes from memory rather than from the
// persistent structures. `pagesInUse` lets the bench check that it allocates as lmm does.
import { NumberTree } from '@lmm/collections';
import { queueKey } from '../packages/core/src/state.js';

interface Page {
  readonly count: number;
  readonly blocks: Block[];
}
interface Block {
  readonly page: Page;
  offset: number;
  size: number;
  free: boolean;
  gap: number;
  qseq: number;
}
interface Family {
  readonly size: number;
  readonly queue: NumberTree<Block>;
}

const PAGE = 4096;
const META = 28;
const MAX_ALLOC = PAGE - META;

/** Runs the bench's command objects (worst fit, seed layout, no page limit) in place. */
export class MutableProbe {
  private readonly token = {};
  private readonly families = new Map<string, Family>();
  private readonly live = new Map<string, { fam: Family; block: Block }>();
  private stamp = 1;
  /** Pages in use now, as lmm counts them. */
  pagesInUse = 0;

  execute(c: { op: string; family?: string; size?: number; id?: string; units?: number; to?: string }): void {
    switch (c.op) {
      case 'register':
        this.families.set(c.family!, { size: c.size!, queue: NumberTree.empty<Block>(this.token) });
        return;
      case 'alloc':
        this.alloc(c.id!, this.families.get(c.family!)!, c.units ?? 1);
        return;
      case 'free':
        this.free(c.id!);
        return;
      case 'realloc': {
        // As lmm does it: the new block first, then the old one freed beside it.
        const old = this.live.get(c.id!)!;
        this.live.delete(c.id!);
        this.alloc(c.to ?? c.id!, old.fam, c.units ?? 1);
        this.release(old.fam, old.block);
        return;
      }
    }
  }

  /** Number of live ids. */
  get liveCount(): number {
    return this.live.size;
  }

  private alloc(id: string, fam: Family, units: number): void {
    const size = units * fam.size;
    if (size > MAX_ALLOC) {
      const count = Math.ceil((META + size) / PAGE);
      const page: Page = { count, blocks: [] };
      const block: Block = { page, offset: 0, size, free: false, gap: 0, qseq: 0 };
      page.blocks.push(block);
      this.pagesInUse += count;
      this.live.set(id, { fam, block });
      return;
    }
    let chosen = fam.queue.firstValue();
    if (chosen === undefined || chosen.size < size) {
      const page: Page = { count: 1, blocks: [] };
      chosen = { page, offset: 0, size: MAX_ALLOC, free: true, gap: 0, qseq: 0 };
      page.blocks.push(chosen);
      this.pagesInUse++;
    } else {
      fam.queue.delete(queueKey(chosen.size, chosen.qseq));
    }
    const rem = chosen.size - size;
    chosen.free = false;
    chosen.qseq = 0;
    chosen.size = size;
    if (rem > META) {
      const tail: Block = { page: chosen.page, offset: chosen.offset + META + size, size: rem - META, free: true, gap: 0, qseq: this.stamp++ };
      chosen.page.blocks.splice(indexOf(chosen.page.blocks, chosen.offset) + 1, 0, tail);
      fam.queue.set(queueKey(tail.size, tail.qseq), tail);
    } else {
      chosen.gap = rem;
    }
    this.live.set(id, { fam, block: chosen });
  }

  private free(id: string): void {
    const { fam, block } = this.live.get(id)!;
    this.live.delete(id);
    this.release(fam, block);
  }

  private release(fam: Family, block: Block): void {
    const page = block.page;
    if (page.count > 1) {
      this.pagesInUse -= page.count;
      return;
    }
    const blocks = page.blocks;
    const i = indexOf(blocks, block.offset);
    let first = i;
    let n = 1;
    let offset = block.offset;
    let size = block.size + block.gap;
    const next = blocks[i + 1];
    if (next !== undefined && next.free) {
      fam.queue.delete(queueKey(next.size, next.qseq));
      size += META + next.size;
      n++;
    }
    const prev = blocks[i - 1];
    if (prev !== undefined && prev.free) {
      fam.queue.delete(queueKey(prev.size, prev.qseq));
      offset = prev.offset;
      size += META + prev.size;
      first--;
      n++;
    }
    if (offset === 0 && size === MAX_ALLOC) {
      this.pagesInUse--;
      return;
    }
    const merged: Block = { page, offset, size, free: true, gap: 0, qseq: this.stamp++ };
    blocks.splice(first, n, merged);
    fam.queue.set(queueKey(merged.size, merged.qseq), merged);
  }
}

function indexOf(blocks: readonly Block[], offset: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = blocks[mid]!.offset;
    if (o < offset) lo = mid + 1;
    else if (o > offset) hi = mid - 1;
    else return mid;
  }
  throw new Error(`no block at offset ${offset}`);
}
