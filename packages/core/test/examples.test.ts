/**
 * The cases a reader of SPEC §1 wants to see, with every number worked out by hand
 * (layout `seed` unless said: pageSize 4096, no page header, 28-byte meta blocks,
 * maxAlloc 4068).
 */
import { describe, expect, it } from 'vitest';
import { LAYOUTS, checkInvariants, statsOf, toDump, type HeapState, type Policy } from '@lmm/core';
import { heap, run } from './support.js';

const seed = LAYOUTS.seed;
const lmm64 = LAYOUTS.lmm64;

/** Blocks of a family's page as `offset:size` (+`F` when free, `+gap` when there is one). */
function blocks(state: HeapState, family = 0, pageIndex = 0): string[] {
  const page = toDump(state).families[family]!.pages[pageIndex]!;
  return page.blocks.map((b) => `${b.offset}:${b.size}${b.free ? 'F' : ''}${b.gap > 0 ? `+${b.gap}` : ''}`);
}

/** A family's queue as `page:offset=size`. */
function queue(state: HeapState, family = 0): string[] {
  return toDump(state).families[family]!.queue.map((q) => `${q.page}:${q.offset}=${q.size}`);
}

describe('phase 4: split and merge', () => {
  it('allocations split the free block; frees merge with the next and previous blocks and release the page', () => {
    const { state: s2, facts } = heap({ layout: seed }, [
      { op: 'register', family: 'emp_t', size: 36 },
      { op: 'alloc', id: 'e1', family: 'emp_t' },
      { op: 'alloc', id: 'e2', family: 'emp_t' },
    ]);
    expect(facts.slice(1)).toStrictEqual([
      { type: 'PageRequest', family: 'emp_t', page: 1, count: 1 },
      { type: 'Allocated', id: 'e1', family: 'emp_t', page: 1, offset: 0, size: 36, units: 1, frag: 'none', gap: 0 },
      { type: 'Allocated', id: 'e2', family: 'emp_t', page: 1, offset: 64, size: 36, units: 1, frag: 'none', gap: 0 },
    ]);
    // 0 + 28 + 36 = 64; 64 + 28 + 36 = 128; 4096 − 128 − 28 = 3940 bytes left.
    expect(blocks(s2)).toEqual(['0:36', '64:36', '128:3940F']);

    const s3 = run(s2, { op: 'free', id: 'e1' });
    expect(s3.facts).toStrictEqual([{ type: 'Freed', id: 'e1', family: 'emp_t', page: 1, offset: 0, size: 36, merged: { offset: 0, size: 36 } }]);
    expect(blocks(s3.state)).toEqual(['0:36F', '64:36', '128:3940F']);
    expect(queue(s3.state)).toEqual(['1:128=3940', '1:0=36']);

    // e2 merges with the next block (36 + 28 + 3940 = 4004), then the previous (36 + 28 + 4004 = 4068): the page is empty.
    const s4 = run(s3.state, { op: 'free', id: 'e2' });
    expect(s4.facts).toStrictEqual([
      { type: 'Freed', id: 'e2', family: 'emp_t', page: 1, offset: 64, size: 36, merged: { offset: 0, size: 4068 } },
      { type: 'PageRelease', family: 'emp_t', page: 1, count: 1 },
    ]);
    expect(toDump(s4.state).families[0]).toStrictEqual({ name: 'emp_t', size: 36, pages: [], queue: [] });
    expect(s4.state.pagesInUse).toBe(0);
  });

  it('a merge takes the merged-away blocks out of the queue (the C reference left them in)', () => {
    const { state } = heap({ layout: seed }, [
      { op: 'register', family: 'a', size: 100 },
      ...['x1', 'x2', 'x3', 'x4'].map((id) => ({ op: 'alloc', id, family: 'a' })),
      { op: 'free', id: 'x1' },
      { op: 'free', id: 'x3' },
    ]);
    expect(blocks(state)).toEqual(['0:100F', '128:100', '256:100F', '384:100', '512:3556F']);
    expect(queue(state)).toEqual(['1:512=3556', '1:0=100', '1:256=100']);
    // Freeing x2 merges 0, 128 and 256 into one block of 100 + 28 + 100 + 28 + 100 = 356.
    const after = run(state, { op: 'free', id: 'x2' }).state;
    expect(blocks(after)).toEqual(['0:356F', '384:100', '512:3556F']);
    expect(queue(after)).toEqual(['1:512=3556', '1:0=356']);
    // Freeing x4 merges everything back into the empty page, which goes.
    expect(run(after, { op: 'free', id: 'x4' }).facts.map((f) => f.type)).toEqual(['Freed', 'PageRelease']);
  });

  it('a merged survivor enters the queue afresh, behind equal sizes that entered before the merge', () => {
    const { state } = heap({ layout: seed, policy: 'best-fit' }, [
      { op: 'register', family: 'a', size: 100 },
      ...['x1', 'x2', 'x3', 'x4', 'x5', 'x6'].map((id) => ({ op: 'alloc', id, family: 'a' })),
      { op: 'free', id: 'x1' }, // 0:100 enters the queue first
      { op: 'free', id: 'x4' },
      { op: 'free', id: 'x5' }, // 384:228 (x4 + x5)
      { op: 'free', id: 'x2' }, // 0:228 (x1 + x2): x1's old place in the queue does not count
    ]);
    expect(queue(state)).toEqual(['1:768=3300', '1:384=228', '1:0=228']);
    // Best fit for 200 bytes: the 228-byte blocks tie; the first in the queue wins (228 − 200 = 28: hard).
    expect(run(state, { op: 'alloc', id: 'y', family: 'a', units: 2 }).facts).toMatchObject([{ page: 1, offset: 384, frag: 'hard', gap: 28 }]);
  });
});

/**
 * Family f of 996 bytes: 4 blocks fill a page exactly (4 × (28 + 996) = 4096).
 * Page 1: p1..p4, then p4 and p2 freed (in that order). Page 2: p5, p6 and a 2020-byte
 * remainder, then p5 freed. Queue: [2:2048=2020, 1:3072=996, 1:1024=996, 2:0=996].
 */
function threeChoices(policy: Policy): HeapState {
  return heap({ layout: seed, policy }, [
    { op: 'register', family: 'f', size: 996 },
    ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id) => ({ op: 'alloc', id, family: 'f' })),
    { op: 'free', id: 'p4' },
    { op: 'free', id: 'p2' },
    { op: 'free', id: 'p5' },
  ]).state;
}

describe('policies', () => {
  it('the same heap, three policies, three different blocks', () => {
    for (const policy of ['worst-fit', 'best-fit', 'first-fit'] as const) {
      expect(queue(threeChoices(policy))).toEqual(['2:2048=2020', '1:3072=996', '1:1024=996', '2:0=996']);
    }
    const pickOf = (policy: Policy) => run(threeChoices(policy), { op: 'alloc', id: 'q', family: 'f' }).facts;
    // worst fit: the head of the queue, the largest block; 2020 − 996 − 28 = 996 bytes are left.
    expect(pickOf('worst-fit')).toStrictEqual([{ type: 'Allocated', id: 'q', family: 'f', page: 2, offset: 2048, size: 996, units: 1, frag: 'none', gap: 0 }]);
    // best fit: the smallest that fits; among the equal 996-byte blocks the first in the queue (p4's, freed first).
    expect(pickOf('best-fit')).toMatchObject([{ page: 1, offset: 3072, frag: 'none' }]);
    // first fit: the newest page first, by offset.
    expect(pickOf('first-fit')).toMatchObject([{ page: 2, offset: 0, frag: 'none' }]);
  });

  it.each([
    ['p4 then p2', ['p4', 'p2'], 3072],
    ['p2 then p4', ['p2', 'p4'], 1024],
  ])('worst fit takes equal sizes first in, first out (freed %s → offset %i)', (_, order, offset) => {
    const { state } = heap({ layout: seed }, [
      { op: 'register', family: 'f', size: 996 },
      ...['p1', 'p2', 'p3', 'p4'].map((id) => ({ op: 'alloc', id, family: 'f' })),
      ...order.map((id) => ({ op: 'free', id })),
    ]);
    expect(run(state, { op: 'alloc', id: 'q', family: 'f' }).facts).toMatchObject([{ type: 'Allocated', page: 1, offset }]);
  });

  it('best fit breaks ties by queue order, not by page or offset', () => {
    const base = threeChoices('best-fit');
    // Take p4's block (1:3072); the next 996-byte pick is p2's (1:1024), then p5's (2:0).
    const a = run(base, { op: 'alloc', id: 'q1', family: 'f' });
    const b = run(a.state, { op: 'alloc', id: 'q2', family: 'f' });
    const c = run(b.state, { op: 'alloc', id: 'q3', family: 'f' });
    expect([a, b, c].map((r) => r.facts[0])).toMatchObject([
      { page: 1, offset: 3072 },
      { page: 1, offset: 1024 },
      { page: 2, offset: 0 },
    ]);
    // Only the 2020-byte block is left.
    expect(run(c.state, { op: 'alloc', id: 'q4', family: 'f', units: 1 }).facts[0]).toMatchObject({ page: 2, offset: 2048 });
  });

  it('first fit walks the newest page first, then blocks by offset', () => {
    const setup = (policy: Policy) =>
      heap({ layout: seed, policy }, [
        { op: 'register', family: 'a', size: 10 },
        { op: 'alloc', id: 'x1', family: 'a', units: 400 }, // page 1: 0:4000, 4028:40 free
        { op: 'alloc', id: 'x2', family: 'a', units: 100 }, // page 2: 0:1000, 1028:3040 free
        { op: 'alloc', id: 'x3', family: 'a', units: 100 }, // page 2: 1028:1000, 2056:2012 free
        { op: 'free', id: 'x2' }, // page 2: 0:1000 free
      ]).state;
    const s = setup('first-fit');
    expect(toDump(s).families[0]!.pages.map((p) => p.page)).toEqual([2, 1]);
    expect(blocks(s, 0, 0)).toEqual(['0:1000F', '1028:1000', '2056:2012F']);
    expect(queue(s)).toEqual(['2:2056=2012', '2:0=1000', '1:4028=40']);
    // 10 bytes fit all three free blocks: first fit takes page 2 (newest) at its lowest offset.
    const y = run(s, { op: 'alloc', id: 'y', family: 'a' });
    expect(y.facts[0]).toMatchObject({ page: 2, offset: 0 });
    // 1500 bytes: page 2's block at 38 (962 bytes) is too small, the one at 2056 fits.
    expect(run(y.state, { op: 'alloc', id: 'z', family: 'a', units: 150 }).facts[0]).toMatchObject({ page: 2, offset: 2056 });
    // The other policies choose differently on the same heap.
    expect(run(setup('worst-fit'), { op: 'alloc', id: 'y', family: 'a' }).facts[0]).toMatchObject({ page: 2, offset: 2056 });
    expect(run(setup('best-fit'), { op: 'alloc', id: 'y', family: 'a' }).facts[0]).toMatchObject({ page: 1, offset: 4028, frag: 'soft' });
  });
});

describe('internal fragmentation', () => {
  it.each([
    // struct size, frag, gap, the free block left (if any), soft-fragmentation bytes
    [4068, 'none', 0, undefined, 0],
    [4067, 'hard', 1, undefined, 0],
    [4041, 'hard', 27, undefined, 0],
    // Remainder exactly one meta block: the C reference made a 0-byte free block; here it is hard fragmentation.
    [4040, 'hard', 28, undefined, 0],
    [4039, 'soft', 0, '4067:1F', 1],
    [2021, 'soft', 0, '2049:2019F', 2019],
    [2020, 'none', 0, '2048:2020F', 0],
    [2000, 'none', 0, '2028:2040F', 0],
  ] as const)('a %i-byte struct on a fresh seed page: %s (gap %i)', (size, frag, gap, rest, soft) => {
    const { state, facts } = heap({ layout: seed }, [
      { op: 'register', family: 's', size },
      { op: 'alloc', id: 'x', family: 's' },
    ]);
    expect(facts.at(-1)).toStrictEqual({ type: 'Allocated', id: 'x', family: 's', page: 1, offset: 0, size, units: 1, frag, gap });
    expect(blocks(state)).toEqual([`0:${size}${gap > 0 ? `+${gap}` : ''}`, ...(rest === undefined ? [] : [rest])]);
    expect(statsOf(state).total).toMatchObject({ hardFragBytes: gap, softFragBytes: soft });
  });

  it('lmm64: a remainder of exactly 48 bytes is hard fragmentation', () => {
    const { facts } = heap({ layout: lmm64 }, [
      { op: 'register', family: 's', size: 3976 },
      { op: 'alloc', id: 'x', family: 's' },
    ]);
    expect(facts.at(-1)).toMatchObject({ offset: 24, size: 3976, frag: 'hard', gap: 48 });
  });

  it('hard fragmentation inside a page, and the gap comes back on free', () => {
    const { state } = heap({ layout: seed }, [
      { op: 'register', family: 'a', size: 100 },
      { op: 'alloc', id: 'x1', family: 'a' },
      { op: 'alloc', id: 'x2', family: 'a' },
      { op: 'free', id: 'x1' }, // 0:100 free
      { op: 'alloc', id: 'big', family: 'a', units: 38 }, // 3800 from the 3812-byte remainder at 256
    ]);
    // 3812 − 3800 = 12 ≤ 28: no block fits; 'big' keeps a 12-byte gap.
    expect(blocks(state)).toEqual(['0:100F', '128:100', '256:3800+12']);
    const small = run(state, { op: 'alloc', id: 'y', family: 'a', units: 1 });
    expect(small.facts[0]).toMatchObject({ offset: 0, frag: 'none' });
    const freed = run(state, { op: 'free', id: 'big' });
    expect(freed.facts[0]).toStrictEqual({ type: 'Freed', id: 'big', family: 'a', page: 1, offset: 256, size: 3800, merged: { offset: 256, size: 3812 } });
    expect(checkInvariants(freed.state)).toEqual([]);
  });
});

describe('large blocks', () => {
  it('take a run of pages with the tail as gap, never enter the queue, and go at once on free', () => {
    const { state, facts } = heap({ layout: seed }, [
      { op: 'register', family: 'byte', size: 1 },
      { op: 'alloc', id: 'L', family: 'byte', units: 5000 },
      { op: 'alloc', id: 's', family: 'byte' },
    ]);
    // k = ceil((0 + 28 + 5000) / 4096) = 2; gap = 2·4096 − 28 − 5000 = 3164. The next page id is 3.
    expect(facts.slice(1, 4)).toStrictEqual([
      { type: 'PageRequest', family: 'byte', page: 1, count: 2 },
      { type: 'Allocated', id: 'L', family: 'byte', page: 1, offset: 0, size: 5000, units: 5000, frag: 'large', gap: 3164 },
      { type: 'PageRequest', family: 'byte', page: 3, count: 1 },
    ]);
    expect(queue(state)).toEqual(['3:29=4039']);
    expect(statsOf(state).total).toMatchObject({ pages: 3, heapBytes: 3 * 4096, hardFragBytes: 3164, liveBytes: 5001 });
    const freed = run(state, { op: 'free', id: 'L' });
    expect(freed.facts).toStrictEqual([
      { type: 'Freed', id: 'L', family: 'byte', page: 1, offset: 0, size: 5000, merged: { offset: 0, size: 8164 } },
      { type: 'PageRelease', family: 'byte', page: 1, count: 2 },
    ]);
    // Page ids are never reused: the next request takes 4.
    const again = run(freed.state, { op: 'alloc', id: 'M', family: 'byte', units: 4069 });
    expect(again.facts[0]).toStrictEqual({ type: 'PageRequest', family: 'byte', page: 4, count: 2 });
  });

  it.each([
    // layout, units of 1 byte, pages, gap
    ['seed', 4068, 1, 0],
    ['seed', 4069, 2, 4095],
    ['seed', 8164, 2, 0],
    ['seed', 8165, 3, 4095],
    ['lmm64', 4024, 1, 0],
    ['lmm64', 4025, 2, 4095],
  ] as const)('%s: %i bytes take %i page(s), gap %i', (layout, units, count, gap) => {
    const { facts } = heap({ layout: LAYOUTS[layout] }, [
      { op: 'register', family: 'byte', size: 1 },
      { op: 'alloc', id: 'x', family: 'byte', units },
    ]);
    expect(facts[1]).toMatchObject({ type: 'PageRequest', count });
    expect(facts[2]).toMatchObject({ type: 'Allocated', frag: count > 1 ? 'large' : 'none', gap });
  });
});

describe('realloc', () => {
  /** emp_t: a at 0, b at 64, free 128:3940. */
  const two = () =>
    heap({ layout: seed }, [
      { op: 'register', family: 'emp_t', size: 36 },
      { op: 'alloc', id: 'a', family: 'emp_t' },
      { op: 'alloc', id: 'b', family: 'emp_t' },
    ]).state;

  it('moves a block to a new id with `to`: allocate first, then free the old block', () => {
    const r = run(two(), { op: 'realloc', id: 'a', units: 2, to: 'c' });
    expect(r.facts).toStrictEqual([
      { type: 'Allocated', id: 'c', family: 'emp_t', page: 1, offset: 128, size: 72, units: 2, frag: 'none', gap: 0, realloc: true, from: 'a' },
      { type: 'Freed', id: 'a', family: 'emp_t', page: 1, offset: 0, size: 36, merged: { offset: 0, size: 36 }, realloc: true },
    ]);
    expect([...r.state.live.keys()]).toEqual(['b', 'c']);
    expect(blocks(r.state)).toEqual(['0:36F', '64:36', '128:72', '228:3840F']);
  });

  it('to itself (to omitted or equal to id): the id names the new block', () => {
    for (const command of [{ op: 'realloc', id: 'a' }, { op: 'realloc', id: 'a', to: 'a' }]) {
      const r = run(two(), command);
      expect(r.facts.map((f) => [f.type, 'id' in f ? f.id : '', 'offset' in f ? f.offset : ''])).toEqual([
        ['Allocated', 'a', 128],
        ['Freed', 'a', 0],
      ]);
      expect(r.state.live.get('a')).toMatchObject({ family: 0, page: 1, offset: 128, free: false, id: 'a' });
      expect(r.state.live.size).toBe(2);
    }
  });

  it('the old block is still allocated while the new one is chosen', () => {
    // 'a' alone on its page: the new block goes right after it, not over it.
    const { state } = heap({ layout: seed }, [
      { op: 'register', family: 'emp_t', size: 36 },
      { op: 'alloc', id: 'a', family: 'emp_t' },
    ]);
    const r = run(state, { op: 'realloc', id: 'a' });
    expect(r.facts).toMatchObject([
      { type: 'Allocated', offset: 64 },
      { type: 'Freed', offset: 0, merged: { offset: 0, size: 36 } },
    ]);
  });

  it('growing into a large block releases the page the old block leaves empty', () => {
    const { state } = heap({ layout: seed }, [
      { op: 'register', family: 'emp_t', size: 36 },
      { op: 'alloc', id: 'a', family: 'emp_t' },
    ]);
    const r = run(state, { op: 'realloc', id: 'a', units: 200, to: 'z' });
    expect(r.facts).toStrictEqual([
      { type: 'PageRequest', family: 'emp_t', page: 2, count: 2 },
      { type: 'Allocated', id: 'z', family: 'emp_t', page: 2, offset: 0, size: 7200, units: 200, frag: 'large', gap: 8192 - 28 - 7200, realloc: true, from: 'a' },
      { type: 'Freed', id: 'a', family: 'emp_t', page: 1, offset: 0, size: 36, merged: { offset: 0, size: 4068 }, realloc: true },
      { type: 'PageRelease', family: 'emp_t', page: 1, count: 1 },
    ]);
  });
});

describe('C reference defects this project must not have', () => {
  it('families beyond 63 work (the C code wrote family 64 past the end of its page)', () => {
    const commands = Array.from({ length: 100 }, (_, i) => ({ op: 'register', family: `f${i}`, size: 8 + i }));
    const { state } = heap({ layout: seed }, [...commands, { op: 'alloc', id: 'x', family: 'f99' }]);
    expect(toDump(state).families).toHaveLength(100);
    expect(toDump(state).families[99]!.pages[0]!.blocks[0]).toStrictEqual({ offset: 0, size: 107, free: false, gap: 0, id: 'x' });
  });
});
