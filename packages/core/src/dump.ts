import type { Layout } from './layout.js';
import type { Policy } from './policy.js';
import type { BlockState, FamilyState, HeapState, PageState, QueueEntry } from './state.js';

/** A block in a state dump (SPEC §3); `id` only on allocated blocks. */
export interface BlockDump {
  readonly offset: number;
  readonly size: number;
  readonly free: boolean;
  readonly gap: number;
  readonly id?: string;
}

/** A page run in a state dump. */
export interface PageDump {
  readonly page: number;
  readonly count: number;
  readonly blocks: readonly BlockDump[];
}

/** A free-queue entry in a state dump. */
export interface QueueDump {
  readonly page: number;
  readonly offset: number;
  readonly size: number;
}

/** A family in a state dump: pages newest first, queue in queue order. */
export interface FamilyDump {
  readonly name: string;
  readonly size: number;
  readonly pages: readonly PageDump[];
  readonly queue: readonly QueueDump[];
}

/** The canonical state dump of SPEC §3. */
export interface StateDump {
  readonly layout: Layout;
  readonly policy: Policy;
  readonly families: readonly FamilyDump[];
}

/** A block as the state dump shows it: `id` only on an allocated block. */
export function blockDump(b: BlockState): BlockDump {
  return b.id === null ? { offset: b.offset, size: b.size, free: b.free, gap: b.gap } : { offset: b.offset, size: b.size, free: b.free, gap: b.gap, id: b.id };
}

/** A page run as the state dump shows it: its blocks by offset. */
export function pageDump(p: PageState): PageDump {
  const blocks: BlockDump[] = [];
  for (const b of p.blocks.values()) blocks.push(blockDump(b));
  return { page: p.page, count: p.count, blocks };
}

/** A free-queue entry as the state dump shows it. */
export function queueDump(q: QueueEntry): QueueDump {
  return { page: q.page, offset: q.offset, size: q.size };
}

/** A family as the state dump shows it: pages newest first (list order), queue in queue order. */
export function familyDump(f: FamilyState): FamilyDump {
  const pages: PageDump[] = [];
  for (const [, p] of f.pages.entriesReversed()) pages.push(pageDump(p));
  const queue: QueueDump[] = [];
  for (const q of f.queue.values()) queue.push(queueDump(q));
  return { name: f.name, size: f.size, pages, queue };
}

/** The state dump of SPEC §3, with keys in the specified order: families in registration order. O(n) in the heap's size. */
export function toDump(state: HeapState): StateDump {
  const families: FamilyDump[] = [];
  for (const fam of state.families.values()) families.push(familyDump(fam));
  const { pageSize, pageHeaderSize, metaSize } = state.layout;
  return { layout: { pageSize, pageHeaderSize, metaSize }, policy: state.policy, families };
}

/** The state dump as one line of JSON, byte-for-byte deterministic. */
export function dumpJson(state: HeapState): string {
  return JSON.stringify(toDump(state));
}

/** Text `writeDump` gathers before handing it on, in UTF-16 code units. */
const DUMP_PIECE = 1 << 16;

/**
 * The state dump of `dumpJson`, byte for byte (no line end), handed to `write` in pieces of
 * about 64 K characters as it is made, family by family, page by page and block by block:
 * neither the dump's objects (`toDump`; a block and a queue entry are dumped one at a time by
 * `blockDump` and `queueDump`) nor its whole text is ever held, so writing the dump
 * of millions of live blocks costs a piece of memory instead of twice the heap. O(n) in the
 * heap's size.
 */
export function writeDump(state: HeapState, write: (text: string) => void): void {
  const { pageSize, pageHeaderSize, metaSize } = state.layout;
  let text = `{"layout":{"pageSize":${pageSize},"pageHeaderSize":${pageHeaderSize},"metaSize":${metaSize}},"policy":${JSON.stringify(state.policy)},"families":[`;
  const flush = () => {
    if (text.length >= DUMP_PIECE) {
      write(text);
      text = '';
    }
  };
  let firstFamily = true;
  for (const fam of state.families.values()) {
    text += `${firstFamily ? '' : ','}{"name":${JSON.stringify(fam.name)},"size":${fam.size},"pages":[`;
    firstFamily = false;
    let firstPage = true;
    for (const [, page] of fam.pages.entriesReversed()) {
      text += `${firstPage ? '' : ','}{"page":${page.page},"count":${page.count},"blocks":[`;
      firstPage = false;
      let firstBlock = true;
      for (const b of page.blocks.values()) {
        text += `${firstBlock ? '' : ','}${JSON.stringify(blockDump(b))}`;
        firstBlock = false;
        flush();
      }
      text += ']}';
    }
    text += '],"queue":[';
    let firstEntry = true;
    for (const q of fam.queue.values()) {
      text += `${firstEntry ? '' : ','}${JSON.stringify(queueDump(q))}`;
      firstEntry = false;
      flush();
    }
    text += ']}';
  }
  write(`${text}]}`);
}
