import { HeapDraft } from './draft.js';
import { checkLayout } from './layout.js';
import { isPolicy } from './policy.js';
import { StringTree } from '@lmm/collections';
import { heapState } from './heapState.js';
import { initialState, type BlockState, type HeapState } from './state.js';
import { ByteReader, ByteWriter } from './varint.js';

/** The version of the encoding `encodeState` writes (its first byte); `decodeState` reads only this one. */
export const STATE_CODEC_VERSION = 1;

/** A block's flags, in the low two bits of its first varint (`size · 4 + flags`). */
const FREE = 1;
const GAP = 2;

/**
 * A heap state as compact bytes, for persisted checkpoints (a fact log's index). Everything
 * the state holds that cannot be derived from the rest is kept exactly; everything derived —
 * block offsets (blocks tile their page from the page header on), each family's block and byte
 * counters and free queue, the policy's walk index, the family index by name, the live-id map, pages in
 * use, live bytes — is built again by `decodeState`, through the same draft operations that
 * build it when facts are folded.
 *
 * The bytes, all integers varints (LEB128) and strings their UTF-16 code units (a count,
 * then one varint each: ASCII is a byte a character):
 * ```
 * version (1 byte, STATE_CODEC_VERSION)
 * policy (string) · pageSize · pageHeaderSize · metaSize · maxPages + 1 (0: none)
 * nextPage · nextQseq · nextOrd · families
 * per family, in registration order: name (string) · size · pageRequests · avoidableGrowth · pages
 *   per page run, by ascending page id: page id − the previous one's (the first: − 0) · count ·
 *     [a single page: its ordinal − the previous single page's (ascending, as the ids)] · blocks
 *     per block, by offset: size · 4 + flags (1: free, 2: has a gap) · [gap] ·
 *       free: queue stamp (0: not queued) | allocated: id as (code units shared with the
 *       previous allocated block's id · the rest as a string)
 * ```
 * A free block's 2 to 4 bytes and an allocated one's about 4 + what its id does not share with
 * the id before it are the whole cost: offsets, counters and indexes take no bytes.
 *
 * Works on a committed state and on an engine's read-only view (`Engine.peek`) alike, and
 * reads the live ids only through the blocks that hold them: encoding never builds the
 * engine's id tree (which would cost a run its hash-map fast path). O(blocks).
 */
export function encodeState(state: HeapState): Uint8Array {
  const { pageSize, pageHeaderSize, metaSize } = state.layout;
  const w = new ByteWriter(64 + 8 * state.live.size);
  w.byte(STATE_CODEC_VERSION);
  w.str(state.policy);
  w.uint(pageSize);
  w.uint(pageHeaderSize);
  w.uint(metaSize);
  w.uint(state.maxPages === null ? 0 : state.maxPages + 1);
  w.uint(state.nextPage);
  w.uint(state.nextQseq);
  w.uint(state.nextOrd);
  w.uint(state.families.size);
  let prevId = '';
  for (const fam of state.families.values()) {
    w.str(fam.name);
    w.uint(fam.size);
    w.uint(fam.pageRequests);
    w.uint(fam.avoidableGrowth);
    w.uint(fam.pages.size);
    let prevPage = 0;
    let prevOrd = 0;
    for (const page of fam.pages.values()) {
      w.uint(page.page - prevPage);
      prevPage = page.page;
      w.uint(page.count);
      if (page.count === 1) {
        if (page.ord <= prevOrd) throw new RangeError(`encodeState: page ${page.page} has ordinal ${page.ord}, not above the one before (${prevOrd})`);
        w.uint(page.ord - prevOrd);
        prevOrd = page.ord;
      }
      w.uint(page.blocks.size);
      let offset = pageHeaderSize;
      // Blocks tile the page: each is found at the end of the one before (a lookup is cheaper
      // than an iterator's yield per block).
      const blocks = page.blocks;
      for (let k = 0; k < blocks.size; k++) {
        const b = blocks.get(offset);
        if (b === undefined) throw new RangeError(`encodeState: no block at offset ${offset} of page ${page.page}, where the one before ends`);
        offset += metaSize + b.size + b.gap;
        w.uint(b.size * 4 + (b.free ? FREE : 0) + (b.gap > 0 ? GAP : 0));
        if (b.gap > 0) w.uint(b.gap);
        if (b.free) {
          w.uint(b.qseq);
        } else {
          const id = b.id!;
          const shared = sharedPrefix(prevId, id);
          w.uint(shared);
          w.str(id, shared);
          prevId = id;
        }
      }
    }
  }
  return w.bytes();
}

/**
 * The live-id map of the allocated `blocks` and their `ids` (in block order): sorted once and
 * built bottom up in one pass, cheaper than one insertion or hash-map entry per id. Throws a
 * RangeError on an id given twice.
 */
function liveTree(ids: readonly string[], blocks: readonly BlockState[]): StringTree<BlockState> {
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const keys = new Array<string>(ids.length);
  const vals = new Array<BlockState>(ids.length);
  for (let i = 0; i < order.length; i++) {
    keys[i] = ids[order[i]!]!;
    vals[i] = blocks[order[i]!]!;
    if (i > 0 && keys[i] === keys[i - 1]) throw new RangeError(`decodeState: id '${keys[i]}' is allocated twice`);
  }
  const tree = StringTree.empty<BlockState>({});
  tree.load(keys, vals);
  return tree;
}

/** How many leading code units `a` and `b` share. */
function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * The state `encodeState` encoded: equal to it in everything a state holds (same dump, same
 * statistics, same live ids and queue stamps, same behaviour on the commands that follow),
 * built afresh (it shares nothing with any other state). Throws a RangeError on bytes that
 * are not such an encoding (another version, cut short, blocks that do not tile their page).
 * O(blocks · log blocks).
 */
export function decodeState(bytes: Uint8Array): HeapState {
  const r = new ByteReader(bytes);
  const version = r.byte();
  if (version !== STATE_CODEC_VERSION) throw new RangeError(`decodeState: encoding version ${version}, expected ${STATE_CODEC_VERSION}`);
  const policy = r.str();
  if (!isPolicy(policy)) throw new RangeError(`decodeState: unknown policy '${policy}'`);
  const layout = checkLayout({ pageSize: r.uint(), pageHeaderSize: r.uint(), metaSize: r.uint() });
  if (typeof layout === 'string') throw new RangeError(`decodeState: ${layout}`);
  const mp = r.uint();
  const draft = new HeapDraft(initialState({ layout, policy, maxPages: mp === 0 ? null : mp - 1 }));
  const nextPage = r.uint();
  const nextQseq = r.uint();
  const nextOrd = r.uint();
  const { pageSize, pageHeaderSize, metaSize } = layout;
  const families = r.uint();
  const ids: string[] = [];
  const allocated: BlockState[] = [];
  for (let f = 0; f < families; f++) {
    const name = r.str();
    if (draft.familyIndexOf(name) !== undefined) throw new RangeError(`decodeState: family ${name} is named twice`);
    draft.addFamily(name, r.uint());
    const fam = draft.family(f)!;
    const pageRequests = r.uint();
    const avoidableGrowth = r.uint();
    const pages = r.uint();
    let pageId = 0;
    let ord = 0;
    for (let p = 0; p < pages; p++) {
      const idStep = r.uint();
      if (idStep < 1) throw new RangeError(`decodeState: page ids of family ${name} do not ascend`);
      pageId += idStep;
      const count = r.uint();
      const page = draft.addPage(fam, pageId, count);
      if (count === 1) {
        const ordStep = r.uint();
        if (ordStep < 1) throw new RangeError(`decodeState: page ordinals of family ${name} do not ascend`);
        ord += ordStep;
        page.ord = ord;
      }
      const inPage = r.uint();
      let offset = pageHeaderSize;
      for (let k = 0; k < inPage; k++) {
        const head = r.uint();
        const flags = head % 4;
        const size = (head - flags) / 4;
        const gap = flags & GAP ? r.uint() : 0;
        if (flags & FREE) {
          draft.putBlock(fam, page, draft.newBlock(f, pageId, offset, size, true, gap, null, r.uint()));
        } else {
          const id = r.strAfter(r.uint());
          const block = draft.newBlock(f, pageId, offset, size, false, gap, id, 0);
          draft.putBlock(fam, page, block);
          ids.push(id);
          allocated.push(block);
        }
        offset += metaSize + size + gap;
      }
      if (offset !== count * pageSize) throw new RangeError(`decodeState: the blocks of page ${pageId} end at ${offset}, not at ${count * pageSize}`);
    }
    // Counted by the page requests above; the encoded counts are the state's.
    fam.pageRequests = pageRequests;
    fam.avoidableGrowth = avoidableGrowth;
  }
  if (!r.done) throw new RangeError(`decodeState: ${bytes.length - r.offset} bytes after the state`);
  draft.nextPage = nextPage;
  draft.nextQseq = nextQseq;
  draft.nextOrd = nextOrd;
  const committed = draft.commit();
  return heapState({
    layout: committed.layout,
    policy: committed.policy,
    maxPages: committed.maxPages,
    families: committed.families,
    familyIndex: committed.familyIndex,
    live: liveTree(ids, allocated),
    nextPage: committed.nextPage,
    pagesInUse: committed.pagesInUse,
    liveBytes: committed.liveBytes,
    nextQseq: committed.nextQseq,
    nextOrd: committed.nextOrd,
  });
}
