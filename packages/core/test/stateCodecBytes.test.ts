/**
 * The state codec byte for byte (the format in `encodeState`'s TSDoc), and every refusal of
 * bytes that are not an encoding or a state that cannot be encoded. A checkpoint is read back
 * from a file on disk (a log's index), so a reader must refuse what no encoder writes rather
 * than build a state from it.
 */
import { describe, expect, it } from 'vitest';
import { ByteWriter, decodeState, dumpJson, encodeState, LAYOUTS, type HeapState } from '@lmm/core';
import { heap, hex } from './support.js';


const stateAfter = (commands: unknown[]): HeapState => heap({ layout: LAYOUTS.seed }, commands).state;

/** Seed layout (4096 B pages, no header, 28 B meta), family a of 8 B, Sa then Sab allocated. */
const SMALL = [
  { op: 'register', family: 'a', size: 8 },
  { op: 'alloc', id: 'Sa', family: 'a' },
  { op: 'alloc', id: 'Sab', family: 'a' },
];

describe('encodeState writes the documented bytes', () => {
  it('a page of two allocated blocks and the free rest, worked out by hand', () => {
    const expected = [
      '01', // version
      '09 77 6f 72 73 74 2d 66 69 74', // 'worst-fit'
      '80 20 00 1c', // 4096 (0x20 · 128), no page header, meta 28
      '00', // no page limit
      '02 04 02', // next page id 2; next queue stamp 4 (stamps 1, 2, 3 went to each free block queued); next ordinal 2
      '01', // one family
      '01 61 08 01 00 01', // 'a', 8 B, 1 page request, none avoidable, 1 page run
      '01 01 01 03', // page id 1 (+1 from 0), 1 page, ordinal 1 (+1 from 0), 3 blocks
      '20 00 02 53 61', // Sa at 0: 8 · 4 + no flags; shares 0 code units with the id before (none); 'Sa'
      '20 02 01 62', // Sab at 36: 8 · 4; shares 2 ('Sa'); the rest 'b'
      'f1 7c 03', // the free rest at 72: 4096 − 72 − 28 = 3996 B; 3996 · 4 + 1 (free) = 15985 = 0x71 + 0x7c · 128; stamp 3
    ].join(' ');
    expect(hex(encodeState(stateAfter(SMALL)))).toBe(expected);
  });

  it('a gap, a page limit and a large run: the flags and fields that only they write', () => {
    // lmm32 layout (4096 B pages, header 12, meta 28), page limit 3, family b of 4040 B.
    const { state } = heap({ layout: LAYOUTS.lmm32, maxPages: 3 }, [
      { op: 'register', family: 'b', size: 4040 },
      { op: 'alloc', id: 'g', family: 'b' },
      { op: 'alloc', id: 'L', family: 'b', units: 2 },
    ]);
    const { pageSize, pageHeaderSize, metaSize } = state.layout;
    expect([pageSize, pageHeaderSize, metaSize]).toEqual([4096, 12, 28]);
    // g fills its page but for less than a meta block and a byte: the rest (4096 − 12 − 28 − 4040 = 16 B) is its gap.
    const gGap = 16;
    // L, 8080 B, takes a run of two pages; its gap is the run's rest (8192 − 12 − 28 − 8080 = 72 B).
    const lGap = 72;
    const pages = [...state.families.get(0)!.pages.values()];
    expect(pages.map((p) => [p.page, p.count])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const w = new ByteWriter();
    w.byte(1);
    w.str('worst-fit');
    for (const n of [pageSize, pageHeaderSize, metaSize, 3 + 1, state.nextPage, state.nextQseq, state.nextOrd, 1]) w.uint(n);
    w.str('b');
    for (const n of [4040, 2, 0, 2]) w.uint(n); // size, page requests, avoidable growth, page runs
    for (const n of [1, 1, 1, 1]) w.uint(n); // page 1: id step, count, ordinal step, blocks
    for (const n of [4040 * 4 + 2, gGap, 0]) w.uint(n); // g: size · 4 + gap flag, its gap, shares 0
    w.str('g');
    for (const n of [1, 2, 1]) w.uint(n); // run at page 2: id step 1, 2 pages (no ordinal), 1 block
    for (const n of [8080 * 4 + 2, lGap, 0]) w.uint(n); // L: size · 4 + gap flag, its gap, shares 0 with 'g'
    w.str('L');
    expect(hex(encodeState(state))).toBe(hex(w.bytes()));
    expect(dumpJson(decodeState(encodeState(state)))).toBe(dumpJson(state));
  });
});

describe('decodeState', () => {
  it('builds the live-id map sorted, whatever order the blocks hold the ids in', () => {
    const state = stateAfter([
      { op: 'register', family: 'a', size: 8 },
      { op: 'alloc', id: 'c', family: 'a' },
      { op: 'alloc', id: 'a', family: 'a' },
      { op: 'alloc', id: 'b', family: 'a' },
      { op: 'alloc', id: 'aa', family: 'a' },
    ]);
    const decoded = decodeState(encodeState(state));
    expect([...decoded.live.keys()]).toEqual(['a', 'aa', 'b', 'c']);
    // c at 0, a at 36, b at 72, aa at 108: each id finds its own block.
    expect(['c', 'a', 'b', 'aa'].map((id) => decoded.live.get(id)?.offset)).toEqual([0, 36, 72, 108]);
  });

  /** The bytes of `SMALL`'s state with the writes after the header made by `body` (family count included). */
  function smallWith(body: (w: ByteWriter) => void, head: { version?: number; policy?: string; pageSize?: number } = {}): Uint8Array {
    const w = new ByteWriter();
    w.byte(head.version ?? 1);
    w.str(head.policy ?? 'worst-fit');
    for (const n of [head.pageSize ?? 4096, 0, 28, 0, 2, 4, 2]) w.uint(n);
    body(w);
    return w.bytes();
  }

  /** One family a of 8 B with one page of `blocks` (each written by its function), page id step `idStep`, ordinal step `ordStep`. */
  function onePage(blocks: ((w: ByteWriter) => void)[], idStep = 1, ordStep = 1) {
    return (w: ByteWriter) => {
      w.uint(1);
      w.str('a');
      for (const n of [8, 1, 0, 1, idStep, 1, ordStep, blocks.length]) w.uint(n);
      for (const b of blocks) b(w);
    };
  }
  const used = (id: string, shared = 0) => (w: ByteWriter) => {
    w.uint(8 * 4);
    w.uint(shared);
    w.str(id, shared);
  };
  const freeRest = (offset: number, stamp = 3) => (w: ByteWriter) => {
    w.uint((4096 - offset - 28) * 4 + 1);
    w.uint(stamp);
  };

  it('reads bytes made by hand as encodeState makes them', () => {
    const bytes = smallWith(onePage([used('Sa'), used('Sab', 2), freeRest(72)]));
    expect(hex(bytes)).toBe(hex(encodeState(stateAfter(SMALL))));
    expect(dumpJson(decodeState(bytes))).toBe(dumpJson(stateAfter(SMALL)));
  });

  it.each<[string, Uint8Array, string]>([
    ['another version', smallWith(onePage([used('Sa'), used('Sab', 2), freeRest(72)]), { version: 2 }), 'decodeState: encoding version 2, expected 1'],
    ['a policy lmm does not know', smallWith(onePage([used('Sa'), used('Sab', 2), freeRest(72)]), { policy: 'next-fit' }), "decodeState: unknown policy 'next-fit'"],
    ['a layout lmm refuses', smallWith(onePage([]), { pageSize: 100 }), 'decodeState: page size 100 is not a power of two from 256 to 1048576'],
    ['an id allocated twice', smallWith(onePage([used('Sa'), used('Sa', 2), freeRest(72)])), "decodeState: id 'Sa' is allocated twice"],
    ['a page id that does not ascend', smallWith(onePage([used('Sa'), used('Sab', 2), freeRest(72)], 0)), 'decodeState: page ids of family a do not ascend'],
    ['a page ordinal that does not ascend', smallWith(onePage([used('Sa'), used('Sab', 2), freeRest(72)], 1, 0)), 'decodeState: page ordinals of family a do not ascend'],
    ['blocks that do not fill their page', smallWith(onePage([used('Sa'), used('Sab', 2), freeRest(80)])), 'decodeState: the blocks of page 1 end at 4088, not at 4096'],
    [
      'a family named twice',
      smallWith((w) => {
        w.uint(2);
        for (let i = 0; i < 2; i++) {
          w.str('a');
          for (const n of [8, 0, 0, 0]) w.uint(n);
        }
      }),
      'decodeState: family a is named twice',
    ],
  ])('refuses %s', (_, bytes, message) => {
    expect(() => decodeState(bytes)).toThrow(new RangeError(message));
  });

  it('refuses bytes after the state, and bytes cut short anywhere', () => {
    const whole = encodeState(stateAfter(SMALL));
    expect(() => decodeState(Uint8Array.from([...whole, 0, 0]))).toThrow(new RangeError('decodeState: 2 bytes after the state'));
    for (let n = 0; n < whole.length; n++) expect(() => decodeState(whole.subarray(0, n))).toThrow(RangeError);
  });
});

describe('encodeState refuses a state no fold makes', () => {
  /** A copy of `state` whose family 0 has its pages (page records copied) given to `edit` as a Map. */
  function withPages(state: HeapState, edit: (pages: Map<number, any>) => void): HeapState {
    const fam = state.families.get(0)!;
    const pages = new Map([...fam.pages.entries()].map(([k, p]) => [k, { ...p, blocks: new Map(p.blocks.entries()) }]));
    edit(pages);
    const families = new Map([[0, { ...fam, pages }]]);
    return { ...state, families } as unknown as HeapState;
  }

  it('single pages whose ordinals do not ascend with their ids', () => {
    const state = stateAfter([{ op: 'register', family: 'a', size: 4000 }, ...['p', 'q'].map((id) => ({ op: 'alloc', id, family: 'a' }))]);
    const broken = withPages(state, (pages) => {
      pages.get(2)!.ord = pages.get(1)!.ord;
    });
    expect(() => encodeState(broken)).toThrow(new RangeError('encodeState: page 2 has ordinal 1, not above the one before (1)'));
  });

  it('a page whose blocks leave a hole', () => {
    const broken = withPages(stateAfter(SMALL), (pages) => {
      pages.get(1)!.blocks.delete(36);
    });
    // Two blocks left, at 0 and 72: the one after Sa should start at 36.
    expect(() => encodeState(broken)).toThrow(new RangeError('encodeState: no block at offset 36 of page 1, where the one before ends'));
  });
});
