/**
 * The working copy's bookkeeping that no statistic shows: queue stamps and page ordinals are
 * handed out one after another (renumbering, O(blocks), waits for `ORDINAL_LIMIT`), a switch
 * between two policies that walk no free blocks rewrites no family record, and a family
 * index with no family is not one. Layout seed: 4096-byte pages, no header, 28-byte meta.
 */
import { describe, expect, it } from 'vitest';
import { initialState, LAYOUTS, withPolicy, type HeapState } from '@lmm/core';
import { HeapDraft } from '../src/draft.js';
import { heap, run } from './support.js';

const seed = { layout: LAYOUTS.seed };

describe('queue stamps and page ordinals', () => {
  it('each stamp is the next number: a page’s block, each split tail and each merged block take one', () => {
    const { state: registered } = heap(seed, [{ op: 'register', family: 'f', size: 1 }]);
    expect(registered.nextQseq).toBe(1);
    // The page's free block takes stamp 1, the tail split off `a` stamp 2.
    const a = run(registered, { op: 'alloc', id: 'a', family: 'f', units: 100 }).state;
    expect(a.nextQseq).toBe(3);
    // `b` splits the tail again: stamp 3.
    const b = run(a, { op: 'alloc', id: 'b', family: 'f', units: 100 }).state;
    expect(b.nextQseq).toBe(4);
    // Freeing `a` (its neighbour `b` is allocated) queues a's block: stamp 4.
    const freed = run(b, { op: 'free', id: 'a' }).state;
    expect(freed.nextQseq).toBe(5);
    const queued = [...freed.families.get(0)!.queue.values()].map((q) => [q.offset, (q as { qseq?: number }).qseq]);
    // The queue by size: the tail (4096 − 2·128 − 28 = 3812 bytes at 256) before a's 100 bytes at 0.
    expect(queued).toEqual([
      [256, 3],
      [0, 4],
    ]);
  });

  it('each single page takes the next ordinal, a released page’s is not reused, a large run takes none', () => {
    const states: HeapState[] = [];
    let state = heap(seed, [{ op: 'register', family: 'f', size: 1 }]).state;
    for (const command of [
      { op: 'alloc', id: 'a', family: 'f', units: 4068 }, // fills page 1
      { op: 'alloc', id: 'b', family: 'f', units: 4068 }, // fills page 2
      { op: 'free', id: 'a' }, // page 1 goes back
      { op: 'alloc', id: 'big', family: 'f', units: 5000 }, // a large run: pages 3–4
      { op: 'alloc', id: 'c', family: 'f', units: 10 }, // page 5
    ]) {
      state = run(state, command).state;
      states.push(state);
    }
    const ords = (s: HeapState) => [...s.families.get(0)!.pages.values()].map((p) => [p.page, p.ord]);
    expect(states.map((s) => s.nextOrd)).toEqual([2, 3, 3, 3, 4]);
    expect(ords(state)).toEqual([
      [2, 2],
      [3, 0],
      [5, 3],
    ]);
  });
});

describe('switching the policy', () => {
  it('between worst and best fit (neither walks the free blocks) keeps every family record of the state', () => {
    const { state } = heap(seed, [
      { op: 'register', family: 'f', size: 8 },
      { op: 'register', family: 'g', size: 16 },
      { op: 'alloc', id: 'a', family: 'f', units: 3 },
      { op: 'alloc', id: 'b', family: 'g', units: 2 },
      { op: 'alloc', id: 'c', family: 'f' },
      { op: 'free', id: 'a' },
    ]);
    const best = withPolicy(state, 'best-fit');
    expect(best.policy).toBe('best-fit');
    for (const index of [0, 1]) expect(best.families.get(index), `family ${index}`).toBe(state.families.get(index));
    // First fit walks the free blocks: its state has them in its walk index by offset. a's
    // 24 bytes at 0 are free, c sits at 0 + 28 + 24 = 52, the tail at 52 + 28 + 8 = 88 holds
    // 4096 − 88 − 28 = 3980 bytes.
    const first = withPolicy(best, 'first-fit');
    expect([...first.families.get(0)!.walk.values()].map((b) => [b.offset, b.size])).toEqual([
      [0, 24],
      [88, 3980],
    ]);
  });
});

describe('HeapDraft.family', () => {
  it('is undefined for an index with no family, and adds none', () => {
    const draft = new HeapDraft(initialState(seed));
    expect(draft.family(0)).toBeUndefined();
    draft.addFamily('f', 8);
    expect(draft.family(1)).toBeUndefined();
    expect(draft.family(0)?.name).toBe('f');
    const state = draft.commit();
    expect([...state.families.values()].map((f) => f.name)).toEqual(['f']);
    expect(new HeapDraft(state).family(1)).toBeUndefined();
  });
});
