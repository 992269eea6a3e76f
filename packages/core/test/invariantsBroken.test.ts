/**
 * `checkInvariants` is the oracle of the property tests: here it is fed states broken one
 * way each and must name what is broken. The states are plain copies of a real one (Maps in
 * the trees' order, records as objects) edited by hand; the heap is lmm64's (page header
 * 24 B, meta 48 B) with family `a` of 40 B: x at offset 24 of page 1, y at 112, and the free
 * rest (3848 B) at 200.
 */
import { describe, expect, it } from 'vitest';
import { checkInvariants, Engine, initialState, LAYOUTS, ORDINAL_LIMIT, queueKey, type HeapState, type Policy } from '@lmm/core';

type Plain = any;

/** A plain, editable copy of `state`: every tree a Map with the tree's entries in order. */
function plain(state: HeapState): Plain {
  const map = (tree: { entries(): Iterable<[unknown, unknown]> }, f: (v: any) => unknown = (v) => ({ ...v })) => new Map([...tree.entries()].map(([k, v]) => [k, f(v)]));
  const families = map(state.families as never, (fam: any) => ({
    ...fam,
    pages: map(fam.pages, (p: any) => ({ ...p, blocks: map(p.blocks) })),
    queue: map(fam.queue),
    walk: map(fam.walk),
  }));
  return { ...state, families, live: map(state.live as never) };
}

/** The state after `commands` on family `a`, as a plain copy. */
function heapAfter(policy: Policy, ...commands: unknown[]): Plain {
  const engine = new Engine(initialState({ layout: LAYOUTS.lmm64, policy, maxPages: null }));
  for (const c of [{ op: 'register', family: 'a', size: 40 }, ...commands]) engine.execute(c);
  return plain(engine.snapshot());
}

const xy = [
  { op: 'alloc', id: 'x', family: 'a' },
  { op: 'alloc', id: 'y', family: 'a' },
];
const check = (s: Plain): string[] => checkInvariants(s as HeapState);
const fam = (s: Plain) => s.families.get(0);
const page1 = (s: Plain) => fam(s).pages.get(1);
const block = (s: Plain, offset: number) => page1(s).blocks.get(offset);
const at = "family 'a' page 1";

describe('checkInvariants names what is broken', () => {
  it('finds nothing in the states commands make (the copies are faithful)', () => {
    expect(check(heapAfter('worst-fit', ...xy))).toEqual([]);
    expect(check(heapAfter('address-first-fit', ...xy, { op: 'free', id: 'x' }))).toEqual([]);
    expect(check(heapAfter('best-fit', { op: 'alloc', id: 'big', family: 'a', units: 200 }))).toEqual([]);
  });

  it('blocks that do not tile their page (inv 1), or are keyed at another offset', () => {
    const s = heapAfter('worst-fit', ...xy);
    block(s, 112).offset = 116;
    expect(check(s)).toEqual(expect.arrayContaining([`${at}: block keyed 112 says offset 116`, `${at}: block at 116, expected 112 (inv 1)`]));
    const t = heapAfter('worst-fit', ...xy);
    block(t, 200).size = 3840;
    fam(t).freeBytes = 3840;
    fam(t).queue = new Map([...fam(t).queue].map(([k, q]: [number, any]) => [k, { ...q, size: 3840 }]));
    expect(check(t)).toContain(`${at}: blocks end at 4088, not 4096 (inv 1)`);
  });

  it('a free block beside a free block (inv 2), with a gap, without size, with an id, stamped ahead, or outside the queue (inv 4, 5)', () => {
    const s = heapAfter('worst-fit', ...xy);
    Object.assign(block(s, 112), { free: true, id: null });
    expect(check(s)).toContain(`${at}: adjacent free blocks at 200 (inv 2)`);
    const g = heapAfter('worst-fit', ...xy);
    block(g, 200).gap = 8;
    expect(check(g)).toContain(`${at}: free block at 200 has gap 8 (inv 4)`);
    const z = heapAfter('worst-fit', ...xy);
    block(z, 200).size = 0;
    expect(check(z)).toContain(`${at}: free block at 200 has size 0 (inv 4)`);
    const i = heapAfter('worst-fit', ...xy);
    block(i, 200).id = 'q';
    expect(check(i)).toContain(`${at}: free block at 200 has id`);
    const q = heapAfter('worst-fit', ...xy);
    q.nextQseq = block(q, 200).qseq;
    expect(check(q)).toContain(`${at}: free block at 200 has stamp ${q.nextQseq} ≥ next ${q.nextQseq}`);
    const n = heapAfter('worst-fit', ...xy);
    fam(n).queue = new Map();
    expect(check(n)).toEqual([`${at}: free block at 200 is not in the queue (inv 5)`, "family 'a': queue has 0 entries for 1 free blocks (inv 5)"]);
  });

  it('an allocated block with a gap past metaSize (inv 4), or not the live block of its id (inv 6)', () => {
    const s = heapAfter('worst-fit', ...xy);
    block(s, 24).gap = 49;
    expect(check(s)).toContain(`${at}: gap 49 > metaSize (inv 4)`);
    const l = heapAfter('worst-fit', ...xy);
    l.live.delete('x');
    expect(check(l)).toEqual([`${at}: allocated block at 24 ('x') is not live there (inv 6)`, '1 live ids for 2 allocated blocks (inv 6)']);
    const w = heapAfter('worst-fit', ...xy);
    w.live.set('x', { ...w.live.get('x'), offset: 112 });
    expect(check(w)).toEqual([`${at}: allocated block at 24 ('x') is not live there (inv 6)`]);
  });

  it('an empty page kept (inv 3), and a large run that does not hold one allocated block', () => {
    const s = heapAfter('worst-fit', { op: 'alloc', id: 'x', family: 'a' });
    const p = page1(s);
    p.blocks = new Map([[24, { ...p.blocks.get(24), free: true, id: null, size: 4024, qseq: 1 }]]);
    expect(check(s)).toContain(`${at}: empty page kept (inv 3)`);
    const big = heapAfter('worst-fit', { op: 'alloc', id: 'big', family: 'a', units: 200 });
    Object.assign(block(big, 24), { free: true, id: null });
    expect(check(big)).toContain(`${at}: a large run must hold one allocated block`);
  });

  it('queue entries that are no free block, or out of size order (inv 5)', () => {
    const s = heapAfter('worst-fit', ...xy);
    const [k, q] = [...fam(s).queue][0] as [number, any];
    fam(s).queue = new Map([[k, { ...q, size: 3000 }]]);
    expect(check(s)).toContain(`family 'a': queue entry 1:200=3000 is no free block (inv 5)`);
    const o = heapAfter('worst-fit', ...xy, { op: 'free', id: 'x' });
    fam(o).queue = new Map([...fam(o).queue].reverse());
    expect(check(o)).toContain(`family 'a': queue not in descending size order (inv 5)`);
  });

  it('a walk index where the policy needs none, or one that does not list the free blocks', () => {
    const s = heapAfter('worst-fit', ...xy);
    fam(s).walk = new Map([[1, {}]]);
    expect(check(s)).toEqual([`family 'a': worst-fit keeps a walk index of 1 entries`]);
    const f = heapAfter('first-fit', ...xy);
    fam(f).walk = new Map();
    expect(check(f)).toEqual([`family 'a': walk index has 0 entries for 1 free blocks`]);
    const e = heapAfter('address-first-fit', ...xy);
    fam(e).walk = new Map([...fam(e).walk].map(([k, b]: [number, any]) => [k + 1, b]));
    expect(check(e)).toEqual([`family 'a': walk entry 1:200 is no free block`]);
    const z = heapAfter('address-first-fit', ...xy);
    fam(z).walk = new Map([...fam(z).walk].map(([k, b]: [number, any]) => [k, { ...b, size: 1 }]));
    expect(check(z)).toEqual([`family 'a': walk entry 1:200 is no free block`]);
  });

  it('counters that the blocks do not add up to, and page ordinals out of order', () => {
    for (const k of ['pageCount', 'blockCount', 'freeCount', 'liveBytes', 'freeBytes', 'gapBytes', 'softBytes']) {
      const s = heapAfter('worst-fit', ...xy);
      const v = fam(s)[k];
      fam(s)[k] = v + 1;
      expect(check(s), k).toContain(`family 'a': counter ${k} is ${v + 1}, recomputed ${v}`);
    }
    const o = heapAfter('worst-fit', ...xy);
    page1(o).ord = 0;
    expect(check(o)).toEqual([`${at}: ordinal 0 out of order (last 0, next ${o.nextOrd})`]);
    const n = heapAfter('worst-fit', ...xy);
    page1(n).ord = n.nextOrd;
    expect(check(n)).toEqual([`${at}: ordinal ${n.nextOrd} out of order (last 0, next ${n.nextOrd})`]);
    const big = heapAfter('worst-fit', { op: 'alloc', id: 'big', family: 'a', units: 200 });
    page1(big).ord = 1;
    expect(check(big)).toEqual([`${at}: ordinal 1 out of order (last 0, next ${big.nextOrd})`]);
  });

  it('heap totals that the families do not add up to (inv 7), and stamps past their limit', () => {
    const s = heapAfter('worst-fit', ...xy);
    s.pagesInUse = 2;
    expect(check(s)).toEqual(['pagesInUse 2 but pages hold 1 (inv 7)']);
    const l = heapAfter('worst-fit', ...xy);
    l.liveBytes = 81;
    expect(check(l)).toEqual(['liveBytes 81 but families hold 80']);
    const q = heapAfter('worst-fit', ...xy);
    q.nextQseq = ORDINAL_LIMIT + 1;
    expect(check(q)).toEqual([`next stamp ${ORDINAL_LIMIT + 1} or ordinal ${q.nextOrd} is past ${ORDINAL_LIMIT}`]);
    const o = heapAfter('worst-fit', ...xy);
    o.nextOrd = ORDINAL_LIMIT + 1;
    expect(check(o)).toEqual([`next stamp ${o.nextQseq} or ordinal ${ORDINAL_LIMIT + 1} is past ${ORDINAL_LIMIT}`]);
    const edge = heapAfter('worst-fit', ...xy);
    edge.nextQseq = ORDINAL_LIMIT;
    edge.nextOrd = ORDINAL_LIMIT;
    expect(check(edge)).toEqual([]);
  });

  it('a page ordinal out of order across a large run (its ordinal 0 does not count)', () => {
    // x on page 1 (ordinal 1), big on pages 2–3 (a large run, ordinal 0); fill takes the rest
    // of page 1 (4096 − 112 − 48 = 3936 B free, 98 × 40 = 3920 B with a 16 B gap), so z opens
    // page 4 (ordinal 2).
    const s = heapAfter('worst-fit', { op: 'alloc', id: 'x', family: 'a' }, { op: 'alloc', id: 'big', family: 'a', units: 200 }, { op: 'alloc', id: 'fill', family: 'a', units: 98 }, { op: 'alloc', id: 'z', family: 'a' });
    expect(check(s)).toEqual([]);
    expect([...fam(s).pages.values()].map((p: any) => [p.page, p.ord])).toEqual([
      [1, 1],
      [2, 0],
      [4, 2],
    ]);
    fam(s).pages.get(4).ord = 1;
    expect(check(s)).toEqual([`family 'a' page 4: ordinal 1 out of order (last 1, next 3)`]);
  });

  it('a free block whose queue entry is unstamped, or names another page (inv 5)', () => {
    // The free block at 200 holds 4096 − 200 − 48 = 3848 B.
    const z = heapAfter('worst-fit', ...xy);
    const [, q] = [...fam(z).queue][0] as [number, any];
    block(z, 200).qseq = 0;
    fam(z).queue = new Map([[queueKey(3848, 0), { ...q, qseq: 0 }]]);
    expect(check(z)).toEqual([`${at}: free block at 200 is not in the queue (inv 5)`]);
    const p = heapAfter('worst-fit', ...xy);
    fam(p).queue = new Map([...fam(p).queue].map(([k, e]: [number, any]) => [k, { ...e, page: 2 }]));
    expect(check(p)).toEqual([`${at}: free block at 200 is not in the queue (inv 5)`, `family 'a': queue entry 2:200=3848 is no free block (inv 5)`]);
  });

  it('an allocated block whose id is live in another family or page, or that has no id (inv 6)', () => {
    for (const [field, value] of [
      ['family', 1],
      ['page', 2],
    ] as const) {
      const s = heapAfter('worst-fit', ...xy);
      s.live.set('x', { ...s.live.get('x'), [field]: value });
      expect(check(s), field).toEqual([`${at}: allocated block at 24 ('x') is not live there (inv 6)`]);
    }
    // No id: not live there, whatever the live map holds (here a null key at its place).
    const n = heapAfter('worst-fit', ...xy);
    n.live.set(null, n.live.get('x'));
    n.live.delete('x');
    block(n, 24).id = null;
    expect(check(n)).toEqual([`${at}: allocated block at 24 ('null') is not live there (inv 6)`]);
  });

  it('pages whose only block is not at the header: reported, not a crash; a large run is never an empty page', () => {
    const s = heapAfter('worst-fit', { op: 'alloc', id: 'x', family: 'a' });
    const p = page1(s);
    p.blocks = new Map([[100, { ...p.blocks.get(24), offset: 100, free: true, id: null, size: 3948, qseq: 1 }]]);
    expect(check(s)).toContain(`${at}: block at 100, expected 24 (inv 1)`);
    const big = heapAfter('worst-fit', { op: 'alloc', id: 'big', family: 'a', units: 200 });
    const run = page1(big);
    run.blocks = new Map([[100, { ...run.blocks.get(24), offset: 100 }]]);
    expect(check(big)).toContain(`${at}: a large run must hold one allocated block`);
    const freed = heapAfter('worst-fit', { op: 'alloc', id: 'big', family: 'a', units: 200 });
    Object.assign(block(freed, 24), { free: true, id: null });
    expect(check(freed)).not.toContain(`${at}: empty page kept (inv 3)`);
  });

  it('a large run holding a second block besides its allocated one', () => {
    const big = heapAfter('worst-fit', { op: 'alloc', id: 'big', family: 'a', units: 200 });
    const run = page1(big);
    const only = run.blocks.get(24);
    run.blocks = new Map([
      [24, only],
      [8072, { ...only, offset: 8072, size: 16, free: false, id: 'extra' }],
    ]);
    expect(check(big)).toContain(`${at}: a large run must hold one allocated block`);
  });

  it('a walk entry on a page the family does not have: reported, not a crash', () => {
    const e = heapAfter('address-first-fit', ...xy);
    fam(e).walk = new Map([...fam(e).walk].map(([k, b]: [number, any]) => [k, { ...b, page: 9 }]));
    expect(check(e)).toEqual([`family 'a': walk entry 9:200 is no free block`]);
  });
});
