/**
 * Every check `evolve` makes on a fact from outside (a fact log edited, cut or recorded under
 * another layout), one forged fact each, with the message a reader gets. The heap is lmm64's
 * (page header 24 B, meta 48 B, so a page's only block is 4024 B at offset 24), with family
 * `a` of 40 B: `alloc x` requests page 1 and puts x at offset 24, leaving a free block of
 * 4024 − 40 − 48 = 3936 B at offset 24 + 48 + 40 = 112.
 */
import { describe, expect, it } from 'vitest';
import { Engine, evolve, evolveAll, FoldError, initialState, LAYOUTS, type Fact, type HeapState } from '@lmm/core';

/** The state after `commands` (from an empty lmm64 heap with family `a` of 40 B), and the facts of the last one. */
function after(...commands: unknown[]): { state: HeapState; last: Fact[] } {
  const engine = new Engine(initialState({ layout: LAYOUTS.lmm64, policy: 'worst-fit', maxPages: null }));
  let last: Fact[] = engine.execute({ op: 'register', family: 'a', size: 40 });
  let state = engine.snapshot();
  for (const c of commands) {
    state = engine.snapshot();
    last = engine.execute(c);
  }
  if (commands.length === 0) state = initialState({ layout: LAYOUTS.lmm64, policy: 'worst-fit', maxPages: null });
  return { state, last };
}

/** The state after all of `commands`. */
const stateAfter = (...commands: unknown[]): HeapState => {
  const engine = new Engine(initialState({ layout: LAYOUTS.lmm64, policy: 'worst-fit', maxPages: null }));
  for (const c of [{ op: 'register', family: 'a', size: 40 }, ...commands]) engine.execute(c);
  return engine.snapshot();
};

/** `facts` with the fact of type `type` changed by `edit`. */
function forged(facts: readonly Fact[], type: Fact['type'], edit: Record<string, unknown>): Fact[] {
  return facts.map((f) => (f.type === type ? ({ ...f, ...edit } as Fact) : f));
}

const refused = (state: HeapState, facts: readonly Fact[]): string => {
  try {
    evolveAll(state, facts);
  } catch (e) {
    expect(e).toBeInstanceOf(FoldError);
    return (e as Error).message;
  }
  throw new Error('folded');
};

const allocX = { op: 'alloc', id: 'x', family: 'a' };

describe('evolve refuses a forged fact, saying what does not fit', () => {
  it('the unforged facts fold (the cases below differ from them in one field)', () => {
    const { state, last } = after(allocX);
    expect(last.map((f) => f.type)).toEqual(['PageRequest', 'Allocated']);
    expect(last[1]).toMatchObject({ page: 1, offset: 24, size: 40, frag: 'none', gap: 0 });
    expect(() => evolveAll(state, last)).not.toThrow();
  });

  it('Registered: a family twice, a size no layout page holds', () => {
    const empty = initialState({ layout: LAYOUTS.lmm64 });
    const one = evolve(empty, { type: 'Registered', family: 'a', size: 40 });
    expect(refused(one, [{ type: 'Registered', family: 'a', size: 40 }])).toBe("family 'a' is registered twice");
    expect(refused(empty, [{ type: 'Registered', family: 'b', size: 4025 }])).toBe("family 'b' of 4025 bytes cannot be registered in this layout");
    expect(refused(empty, [{ type: 'Registered', family: 'b', size: 0 }])).toMatch(/of 0 bytes cannot/);
    expect(refused(empty, [{ type: 'Registered', family: 'b', size: 2.5 }])).toMatch(/of 2\.5 bytes cannot/);
    expect(evolve(empty, { type: 'Registered', family: 'b', size: 4024 }).familyIndex.get('b')).toBe(0);
  });

  it('PageRequest: an unknown family, a page id out of turn, a count that is not a positive integer', () => {
    const { state, last } = after(allocX);
    expect(refused(state, forged(last, 'PageRequest', { family: 'b' }))).toBe("family 'b' is not registered");
    expect(refused(state, forged(last, 'PageRequest', { page: 2 }))).toBe('page 2 requested where the next page id is 1');
    expect(refused(state, forged(last, 'PageRequest', { count: 0 }))).toBe('page count 0 is not a positive integer');
    expect(refused(state, forged(last, 'PageRequest', { count: 1.5 }))).toBe('page count 1.5 is not a positive integer');
  });

  it('PageRequest: a single page’s block enters the free queue, a large run’s block does not', () => {
    const s = stateAfter();
    const one = evolve(s, { type: 'PageRequest', family: 'a', page: 1, count: 1 });
    expect(one.families.get(0)!.queue.size).toBe(1);
    const run = evolve(s, { type: 'PageRequest', family: 'a', page: 1, count: 2 });
    expect(run.families.get(0)!.queue.size).toBe(0);
    expect(run.families.get(0)!.pages.get(1)!.blocks.get(24)).toMatchObject({ size: 2 * 4096 - 24 - 48, free: true });
  });

  it('Allocated: no free block where it says', () => {
    const { state, last } = after(allocX);
    expect(refused(state, forged(last, 'Allocated', { offset: 25 }))).toBe("no free block at page 1 offset 25 of 'a' to allocate");
    expect(refused(state, forged(last, 'Allocated', { page: 2 }))).toBe("no free block at page 2 offset 24 of 'a' to allocate");
    // x's block is no longer free: allocating y there again.
    const y = after(allocX, { op: 'alloc', id: 'y', family: 'a' });
    expect(y.last[0]).toMatchObject({ type: 'Allocated', offset: 112 });
    expect(refused(y.state, forged(y.last, 'Allocated', { offset: 24 }))).toBe("no free block at page 1 offset 24 of 'a' to allocate");
  });

  it('Allocated: a size, gap or frag that does not fit the free block', () => {
    const { state, last } = after(allocX);
    const fit = /^allocation of \d+ \+ gap \d+ bytes does not fit the 4024-byte free block at page 1 offset 24$/;
    // Larger than the block.
    expect(refused(state, forged(last, 'Allocated', { size: 4064, units: 1 }))).toMatch(fit);
    // A gap beside a remainder that is split off.
    expect(refused(state, forged(last, 'Allocated', { gap: 8 }))).toBe('allocation of 40 + gap 8 bytes does not fit the 4024-byte free block at page 1 offset 24');
    // A remainder of 48 B (no room for a meta block and data) that is not absorbed as a gap.
    expect(refused(state, forged(last, 'Allocated', { size: 3976, units: 1 }))).toBe('allocation of 3976 + gap 0 bytes does not fit the 4024-byte free block at page 1 offset 24');
    // `large` in a single page.
    expect(refused(state, forged(last, 'Allocated', { frag: 'large' }))).toMatch(fit);
    // … even where it fits the block exactly (100 × 40 B and a 24 B gap fill its 4024 B).
    expect(refused(state, forged(last, 'Allocated', { size: 4000, units: 100, gap: 24, frag: 'large' }))).toBe('allocation of 4000 + gap 24 bytes does not fit the 4024-byte free block at page 1 offset 24');
    // And a large run's block taken as an ordinary one: 8000 B in a run of 2 × 4096 − 24 − 48 =
    // 8120 B, its 120 B tail a gap (120 − 48 = 72 ≥ 40: as a split, frag `none`).
    const big = after({ op: 'alloc', id: 'big', family: 'a', units: 200 });
    expect(big.last[1]).toMatchObject({ type: 'Allocated', size: 8000, gap: 120, frag: 'large' });
    expect(refused(big.state, forged(big.last, 'Allocated', { frag: 'none' }))).toBe('allocation of 8000 + gap 120 bytes does not fit the 8120-byte free block at page 1 offset 24');
  });

  it('Allocated: no id, an id already live, a size that is not units × the family size, a frag that is not the split’s', () => {
    const { state, last } = after(allocX);
    expect(refused(state, forged(last, 'Allocated', { id: '' }))).toBe('an allocation without an id');
    expect(refused(state, forged(last, 'Allocated', { units: 2 }))).toBe("2 units of 'a' are 80 bytes, not 40");
    expect(refused(state, forged(last, 'Allocated', { frag: 'soft' }))).toBe('frag "soft" does not match a 3984-byte remainder');
    const y = after(allocX, { op: 'alloc', id: 'y', family: 'a' });
    expect(refused(y.state, forged(y.last, 'Allocated', { id: 'x' }))).toBe("id 'x' is allocated twice");
    // Only a realloc onto its own id may name a live id: both the flag and `from` must say so.
    expect(refused(y.state, forged(y.last, 'Allocated', { id: 'x', realloc: true, from: 'z' }))).toBe("id 'x' is allocated twice");
    expect(refused(y.state, forged(y.last, 'Allocated', { id: 'x', from: 'x' }))).toBe("id 'x' is allocated twice");
    expect(() => evolveAll(y.state, forged(y.last, 'Allocated', { id: 'x', realloc: true, from: 'x' }))).not.toThrow();
  });

  it('Freed: no such block — another page, offset, size or id, or a block already free', () => {
    const { state, last } = after(allocX, { op: 'free', id: 'x' });
    expect(last).toEqual([
      { type: 'Freed', id: 'x', family: 'a', page: 1, offset: 24, size: 40, merged: { offset: 24, size: 4024 } },
      { type: 'PageRelease', family: 'a', page: 1, count: 1 },
    ]);
    const msg = (id: string, size: number, page: number, offset: number) => `no block '${id}' of ${size} bytes at page ${page} offset ${offset} of 'a' to free`;
    expect(refused(state, forged(last, 'Freed', { page: 2 }))).toBe(msg('x', 40, 2, 24));
    expect(refused(state, forged(last, 'Freed', { offset: 112 }))).toBe(msg('x', 40, 1, 112)); // the free remainder
    expect(refused(state, forged(last, 'Freed', { offset: 64 }))).toBe(msg('x', 40, 1, 64)); // no block there
    expect(refused(state, forged(last, 'Freed', { size: 41 }))).toBe(msg('x', 41, 1, 24));
    expect(refused(state, forged(last, 'Freed', { id: 'w' }))).toBe(msg('w', 40, 1, 24));
  });

  it('Freed: a merged block that the freed block and its free neighbours do not make, or that leaves a free neighbour out', () => {
    // x at 24, y at 112, z at 200, free remainder at 288; free y: no free neighbour, merged = y's block.
    const s = stateAfter(allocX, { op: 'alloc', id: 'y', family: 'a' }, { op: 'alloc', id: 'z', family: 'a' });
    const engine = new Engine(s);
    const freeY = engine.execute({ op: 'free', id: 'y' });
    expect(freeY).toEqual([{ type: 'Freed', id: 'y', family: 'a', page: 1, offset: 112, size: 40, merged: { offset: 112, size: 40 } }]);
    const bad = (merged: { offset: number; size: number }) => refused(s, forged(freeY, 'Freed', { merged }));
    // Taking in live x before it, or live z after it.
    expect(bad({ offset: 24, size: 128 })).toBe('merged block at offset 24 of 128 bytes does not match page 1');
    expect(bad({ offset: 112, size: 128 })).toBe('merged block at offset 112 of 128 bytes does not match page 1');
    // Ending inside z, or starting after y.
    expect(bad({ offset: 112, size: 41 })).toBe('merged block at offset 112 of 41 bytes does not match page 1');
    expect(bad({ offset: 113, size: 39 })).toMatch(/^merged block at offset 113 of 39 bytes/);
    // Ending inside y itself.
    expect(bad({ offset: 112, size: 39 })).toBe('merged block at offset 112 of 39 bytes does not match page 1');
    // Free z next: its free neighbour after it (the remainder) must merge in.
    const freeZ = engine.execute({ op: 'free', id: 'z' });
    const s2 = stateAfter(allocX, { op: 'alloc', id: 'y', family: 'a' }, { op: 'alloc', id: 'z', family: 'a' }, { op: 'free', id: 'y' });
    expect(freeZ[0]).toMatchObject({ offset: 200, merged: { offset: 112, size: 4024 - 88 } });
    expect(refused(s2, forged(freeZ, 'Freed', { merged: { offset: 112, size: 128 } }))).toBe('merged block at offset 112 of 128 bytes leaves a free neighbour unmerged in page 1');
    expect(refused(s2, forged(freeZ, 'Freed', { merged: { offset: 200, size: 3848 } }))).toMatch(/leaves a free neighbour unmerged in page 1$/);
  });

  it('Freed of a large block: the merged block must be its whole run', () => {
    const { state, last } = after({ op: 'alloc', id: 'big', family: 'a', units: 200 }, { op: 'free', id: 'big' });
    expect(last[0]).toMatchObject({ type: 'Freed', page: 1, offset: 24, size: 8000, merged: { offset: 24, size: 2 * 4096 - 72 } });
    expect(refused(state, forged(last, 'Freed', { merged: { offset: 24, size: 8000 } }))).toBe('merged block at offset 24 of 8000 bytes does not match page 1');
  });

  it('PageRelease: a page that is not there, not of that many pages, or not empty', () => {
    const { state, last } = after(allocX, { op: 'free', id: 'x' });
    const notEmpty = (page: number, count: number) => `page ${page} (${count}) of 'a' is not an empty page to release`;
    expect(refused(state, forged(last, 'PageRelease', { page: 2 }))).toBe(notEmpty(2, 1));
    expect(refused(state, forged(last, 'PageRelease', { count: 2 }))).toBe(notEmpty(1, 2));
    // x still live: its page holds x and the free remainder.
    const live = stateAfter(allocX);
    expect(refused(live, [{ type: 'PageRelease', family: 'a', page: 1, count: 1 }])).toBe(notEmpty(1, 1));
    // One live block filling its page alone.
    const full = stateAfter({ op: 'alloc', id: 'f', family: 'a', units: 100 });
    expect(full.families.get(0)!.pages.get(1)!.blocks.size).toBe(1);
    expect(refused(full, [{ type: 'PageRelease', family: 'a', page: 1, count: 1 }])).toBe(notEmpty(1, 1));
  });

  it('a page released is gone: a fact naming it after the release is refused', () => {
    const { state, last } = after(allocX, { op: 'free', id: 'x' });
    const allocAgain: Fact = { type: 'Allocated', id: 'x', family: 'a', page: 1, offset: 24, size: 40, units: 1, frag: 'none', gap: 0 };
    expect(refused(state, [...last, allocAgain])).toBe("no free block at page 1 offset 24 of 'a' to allocate");
    // The same on an engine that has just looked the page up to decide the free.
    const engine = new Engine(stateAfter());
    engine.execute(allocX);
    expect(engine.execute({ op: 'free', id: 'x' }).map((f) => f.type)).toEqual(['Freed', 'PageRelease']);
    expect(() => engine.apply(allocAgain)).toThrow(new FoldError("no free block at page 1 offset 24 of 'a' to allocate"));
  });

  it('a page of another family is not found under this one', () => {
    const s = (() => {
      const e = new Engine(stateAfter(allocX));
      e.execute({ op: 'register', family: 'b', size: 40 });
      e.execute({ op: 'alloc', id: 'q', family: 'b' });
      return e.snapshot();
    })();
    // q is on page 2 of b; x on page 1 of a. Freeing x as if it were b's, and allocating in a's page as b.
    expect(refused(s, [{ type: 'Freed', id: 'x', family: 'b', page: 1, offset: 24, size: 40, merged: { offset: 24, size: 40 } }])).toMatch(/^no block 'x' of 40 bytes at page 1 offset 24 of 'b' to free$/);
    expect(refused(s, [{ type: 'Allocated', id: 'r', family: 'b', page: 1, offset: 112, size: 40, units: 1, frag: 'none', gap: 0 }])).toBe("no free block at page 1 offset 112 of 'b' to allocate");
    // The same within one fold, after the page was written (the working copy's own pages).
    const touchA: Fact = { type: 'Allocated', id: 'y', family: 'a', page: 1, offset: 112, size: 40, units: 1, frag: 'none', gap: 0 };
    expect(refused(s, [touchA, { type: 'Freed', id: 'y', family: 'b', page: 1, offset: 112, size: 40, merged: { offset: 112, size: 40 } }])).toMatch(/^no block 'y' .* of 'b' to free$/);
    // And on an engine whose last decision (free x) looked at a's page 1.
    const engine = new Engine(stateAfter());
    engine.execute({ op: 'register', family: 'b', size: 40 });
    for (const id of ['x', 'y', 'z']) engine.execute({ op: 'alloc', id, family: 'a' });
    expect(engine.execute({ op: 'free', id: 'x' })).toHaveLength(1);
    expect(() => engine.apply({ type: 'Freed', id: 'y', family: 'b', page: 1, offset: 112, size: 40, merged: { offset: 24, size: 128 } })).toThrow(
      new FoldError("no block 'y' of 40 bytes at page 1 offset 112 of 'b' to free"),
    );
    expect(() => engine.apply({ type: 'Freed', id: 'y', family: 'a', page: 1, offset: 112, size: 40, merged: { offset: 24, size: 128 } })).not.toThrow();
  });

  it('Rejected facts change nothing: evolve and evolveAll hand back the very state', () => {
    const s = stateAfter(allocX);
    const rejected: Fact = { type: 'Rejected', command: { op: 'free', id: 'q' }, code: 'E_NOT_ALLOCATED', message: "id 'q' is not allocated" };
    expect(evolve(s, rejected)).toBe(s);
    expect(evolveAll(s, [rejected, rejected])).toBe(s);
    expect(evolveAll(s, [])).toBe(s);
    expect(() => evolve(s, { type: 'Bogus' } as unknown as Fact)).toThrow(new FoldError('unknown fact type "Bogus"'));
  });
});
