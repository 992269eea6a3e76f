/**
 * Every rejection code of SPEC §1, the order of the checks for each command (the first
 * failing one wins), the page limit for alloc, large alloc and realloc — and that a
 * rejected command changes nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { LAYOUTS, MAX_REQUEST_BYTES, REJECTION_CODES, maxAlloc, statsOf, type HeapState, type RejectionCode } from '@lmm/core';
import { expectRejected, heap, run } from './support.js';

const seed = LAYOUTS.seed;

/** Families emp_t (36 B) and one_t (1 B); e1, e2 live; e0 freed. */
function base(maxPages: number | null = null): HeapState {
  return heap({ layout: seed, maxPages }, [
    { op: 'register', family: 'emp_t', size: 36 },
    { op: 'register', family: 'one_t', size: 1 },
    { op: 'alloc', id: 'e0', family: 'emp_t' },
    { op: 'alloc', id: 'e1', family: 'emp_t' },
    { op: 'alloc', id: 'e2', family: 'emp_t', units: 2 },
    { op: 'free', id: 'e0' },
  ]).state;
}

describe('E_BAD_COMMAND', () => {
  let s: HeapState;
  beforeEach(() => {
    s = base();
  });
  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 7],
    ['a string', 'alloc'],
    ['an array', [{ op: 'free', id: 'e1' }]],
    ['an object without op', { id: 'e1' }],
    ['an unknown op', { op: 'malloc', id: 'x', family: 'emp_t' }],
    ['an op of the wrong type', { op: 1 }],
    ['register: family not a string', { op: 'register', family: 5, size: 8 }],
    ['register: size not a number', { op: 'register', family: 'new_t', size: '8' }],
    ['register: size missing', { op: 'register', family: 'new_t' }],
    ['alloc: id not a string', { op: 'alloc', id: 3, family: 'emp_t' }],
    ['alloc: id empty', { op: 'alloc', id: '', family: 'emp_t' }],
    ['alloc: id missing', { op: 'alloc', family: 'emp_t' }],
    ['alloc: family not a string', { op: 'alloc', id: 'x', family: null }],
    ['alloc: units not a number', { op: 'alloc', id: 'x', family: 'emp_t', units: '2' }],
    ['alloc: units null', { op: 'alloc', id: 'x', family: 'emp_t', units: null }],
    ['free: id missing', { op: 'free' }],
    ['free: id empty', { op: 'free', id: '' }],
    ['free: id not a string', { op: 'free', id: ['e1'] }],
    ['realloc: id empty', { op: 'realloc', id: '' }],
    ['realloc: to empty', { op: 'realloc', id: 'e1', to: '' }],
    ['realloc: to not a string', { op: 'realloc', id: 'e1', to: 2 }],
    ['realloc: units not a number', { op: 'realloc', id: 'e1', units: false }],
  ])('%s', (_, command) => expectRejected(s, command, 'E_BAD_COMMAND'));
});

describe('register', () => {
  let s: HeapState;
  beforeEach(() => {
    s = base();
  });
  it('E_FAMILY_NAME: empty, with a space or a control character, non-ASCII, longer than 64', () => {
    for (const family of ['', 'a b', ' lead', 'tab\there', 'new\n', 'caf\u00e9', '\u{1f600}', 'x'.repeat(65), '\u007f']) {
      expectRejected(s, { op: 'register', family, size: 8 }, 'E_FAMILY_NAME');
    }
  });
  it('accepts 64 printable characters and punctuation', () => {
    for (const family of ['x'.repeat(64), '!', '~', '{}"\\', '__proto__', 'constructor']) {
      expect(run(s, { op: 'register', family, size: 8 }).facts).toStrictEqual([{ type: 'Registered', family, size: 8 }]);
    }
  });
  it('E_FAMILY_EXISTS, with the same size or another', () => {
    expectRejected(s, { op: 'register', family: 'emp_t', size: 36 }, 'E_FAMILY_EXISTS');
    expectRejected(s, { op: 'register', family: 'one_t', size: 100 }, 'E_FAMILY_EXISTS');
  });
  it('E_FAMILY_SIZE: 0, negative, fractional, above maxAlloc', () => {
    for (const size of [0, -1, 2.5, 1e-9, maxAlloc(seed) + 1, 1e12]) expectRejected(s, { op: 'register', family: 'new_t', size }, 'E_FAMILY_SIZE');
  });
  it('accepts sizes 1 and maxAlloc exactly', () => {
    expect(run(s, { op: 'register', family: 'a', size: 1 }).facts).toHaveLength(1);
    expect(run(s, { op: 'register', family: 'a', size: maxAlloc(seed) }).facts).toStrictEqual([{ type: 'Registered', family: 'a', size: 4068 }]);
    expect(run(heap({ layout: LAYOUTS.lmm64 }, []).state, { op: 'register', family: 'a', size: 4025 }).facts[0]).toMatchObject({ code: 'E_FAMILY_SIZE' });
  });
  it('checks in order BAD_COMMAND, FAMILY_NAME, FAMILY_EXISTS, FAMILY_SIZE', () => {
    expectRejected(s, { op: 'register', family: 'a b', size: '8' }, 'E_BAD_COMMAND');
    expectRejected(s, { op: 'register', family: 'a b', size: 0 }, 'E_FAMILY_NAME');
    expectRejected(s, { op: 'register', family: 'emp_t ', size: 36 }, 'E_FAMILY_NAME');
    expectRejected(s, { op: 'register', family: 'emp_t', size: 0 }, 'E_FAMILY_EXISTS');
    expectRejected(s, { op: 'register', family: 'emp_t', size: 99999 }, 'E_FAMILY_EXISTS');
  });
});

describe('alloc', () => {
  let s: HeapState;
  beforeEach(() => {
    s = base();
  });
  it('E_UNKNOWN_FAMILY, also for a name that differs only in case', () => {
    expectRejected(s, { op: 'alloc', id: 'x', family: 'EMP_T' }, 'E_UNKNOWN_FAMILY');
    expectRejected(s, { op: 'alloc', id: 'x', family: '' }, 'E_UNKNOWN_FAMILY');
    expectRejected(s, { op: 'alloc', id: 'x', family: '__proto__' }, 'E_UNKNOWN_FAMILY');
  });
  it('E_BAD_UNITS: 0, negative, fractional, above 2^31 bytes', () => {
    for (const units of [0, -0, -1, 1.5, 1e-3]) expectRejected(s, { op: 'alloc', id: 'x', family: 'emp_t', units }, 'E_BAD_UNITS');
    expectRejected(s, { op: 'alloc', id: 'x', family: 'one_t', units: MAX_REQUEST_BYTES + 1 }, 'E_BAD_UNITS');
    expectRejected(s, { op: 'alloc', id: 'x', family: 'emp_t', units: Math.floor(MAX_REQUEST_BYTES / 36) + 1 }, 'E_BAD_UNITS');
  });
  it('accepts exactly 2^31 bytes (a large block of 524289 pages)', () => {
    const { facts } = run(s, { op: 'alloc', id: 'x', family: 'one_t', units: MAX_REQUEST_BYTES });
    expect(facts[0]).toStrictEqual({ type: 'PageRequest', family: 'one_t', page: 2, count: Math.ceil((28 + 2 ** 31) / 4096) });
    expect(facts[1]).toMatchObject({ type: 'Allocated', frag: 'large', size: 2 ** 31, gap: 524289 * 4096 - 28 - 2 ** 31 });
  });
  it('E_ID_IN_USE, in the same family or another', () => {
    expectRejected(s, { op: 'alloc', id: 'e1', family: 'emp_t' }, 'E_ID_IN_USE');
    expectRejected(s, { op: 'alloc', id: 'e2', family: 'one_t', units: 3 }, 'E_ID_IN_USE');
  });
  it('a freed id can be allocated again', () => {
    expect(run(s, { op: 'alloc', id: 'e0', family: 'emp_t' }).facts).toMatchObject([{ type: 'Allocated', id: 'e0', page: 1 }]);
  });
  it('checks in order BAD_COMMAND, UNKNOWN_FAMILY, BAD_UNITS, ID_IN_USE, OUT_OF_MEMORY', () => {
    const full = base(1);
    expectRejected(full, { op: 'alloc', id: '', family: 'nope', units: 0 }, 'E_BAD_COMMAND');
    expectRejected(full, { op: 'alloc', id: 'e1', family: 'nope', units: 0 }, 'E_UNKNOWN_FAMILY');
    expectRejected(full, { op: 'alloc', id: 'e1', family: 'emp_t', units: 0 }, 'E_BAD_UNITS');
    expectRejected(full, { op: 'alloc', id: 'e1', family: 'one_t', units: 10000 }, 'E_ID_IN_USE');
    expectRejected(full, { op: 'alloc', id: 'new', family: 'one_t', units: 10000 }, 'E_OUT_OF_MEMORY');
  });
});

describe('free', () => {
  let s: HeapState;
  beforeEach(() => {
    s = base();
  });
  it('E_NOT_ALLOCATED: never allocated, already freed', () => {
    expectRejected(s, { op: 'free', id: 'ghost' }, 'E_NOT_ALLOCATED');
    expectRejected(s, { op: 'free', id: 'e0' }, 'E_NOT_ALLOCATED');
    const once = run(s, { op: 'free', id: 'e1' }).state;
    expectRejected(once, { op: 'free', id: 'e1' }, 'E_NOT_ALLOCATED');
  });
  it('the old id of a realloc with `to` is no longer allocated', () => {
    const moved = run(s, { op: 'realloc', id: 'e1', to: 'e9' }).state;
    expectRejected(moved, { op: 'free', id: 'e1' }, 'E_NOT_ALLOCATED');
    expect(run(moved, { op: 'free', id: 'e9' }).facts[0]).toMatchObject({ type: 'Freed', id: 'e9' });
  });
  it('checks BAD_COMMAND before NOT_ALLOCATED', () => {
    expectRejected(s, { op: 'free', id: 404 }, 'E_BAD_COMMAND');
  });
});

describe('realloc', () => {
  let s: HeapState;
  beforeEach(() => {
    s = base();
  });
  it('E_NOT_ALLOCATED, E_BAD_UNITS (against the block\'s family), E_ID_IN_USE', () => {
    expectRejected(s, { op: 'realloc', id: 'ghost' }, 'E_NOT_ALLOCATED');
    expectRejected(s, { op: 'realloc', id: 'e0', units: 2 }, 'E_NOT_ALLOCATED');
    expectRejected(s, { op: 'realloc', id: 'e1', units: 0 }, 'E_BAD_UNITS');
    expectRejected(s, { op: 'realloc', id: 'e1', units: Math.floor(MAX_REQUEST_BYTES / 36) + 1 }, 'E_BAD_UNITS');
    expectRejected(s, { op: 'realloc', id: 'e1', to: 'e2' }, 'E_ID_IN_USE');
  });
  it('to = id is allowed and so is a freed id as `to`', () => {
    expect(run(s, { op: 'realloc', id: 'e1', to: 'e1' }).facts.map((f) => f.type)).toEqual(['Allocated', 'Freed']);
    expect(run(s, { op: 'realloc', id: 'e1', to: 'e0' }).facts.map((f) => f.type)).toEqual(['Allocated', 'Freed']);
  });
  it('checks in order BAD_COMMAND, NOT_ALLOCATED, BAD_UNITS, ID_IN_USE, OUT_OF_MEMORY', () => {
    const full = base(1);
    expectRejected(full, { op: 'realloc', id: 'ghost', units: 0, to: '' }, 'E_BAD_COMMAND');
    expectRejected(full, { op: 'realloc', id: 'ghost', units: 0, to: 'e2' }, 'E_NOT_ALLOCATED');
    expectRejected(full, { op: 'realloc', id: 'e1', units: 0, to: 'e2' }, 'E_BAD_UNITS');
    expectRejected(full, { op: 'realloc', id: 'e1', units: 200, to: 'e2' }, 'E_ID_IN_USE');
    expectRejected(full, { op: 'realloc', id: 'e1', units: 200, to: 'e7' }, 'E_OUT_OF_MEMORY');
  });
});

describe('E_OUT_OF_MEMORY (page limit)', () => {
  const opts = { layout: seed, maxPages: 3 };
  /** big_t blocks b1, b2 on pages 1 and 2 (each page keeps a 40-byte free block); one page left under the limit. */
  const twoPages = heap(opts, [
    { op: 'register', family: 'big_t', size: 4000 },
    { op: 'register', family: 'emp_t', size: 36 },
    { op: 'alloc', id: 'b1', family: 'big_t' },
    { op: 'alloc', id: 'b2', family: 'big_t' },
  ]).state;

  it('alloc that needs a page above the limit; the same alloc fits a free block already there', () => {
    const three = run(twoPages, { op: 'alloc', id: 'b3', family: 'big_t' }).state;
    expect(three.pagesInUse).toBe(3);
    expectRejected(three, { op: 'alloc', id: 'b4', family: 'big_t' }, 'E_OUT_OF_MEMORY');
    expectRejected(three, { op: 'alloc', id: 'e1', family: 'emp_t' }, 'E_OUT_OF_MEMORY');
    // Each big_t page has 4068 − 4000 − 28 = 40 bytes free: enough for 36, but families do not share pages.
    const freed = run(three, { op: 'free', id: 'b1' }).state;
    expect(run(freed, { op: 'alloc', id: 'e1', family: 'emp_t' }).facts[0]).toMatchObject({ type: 'PageRequest', page: 4 });
  });
  it('a large block of k pages needs k pages under the limit, not one', () => {
    expectRejected(twoPages, { op: 'alloc', id: 'L', family: 'big_t', units: 2 }, 'E_OUT_OF_MEMORY');
    const empty = heap({ layout: seed, maxPages: 2 }, [{ op: 'register', family: 'emp_t', size: 36 }]).state;
    // 113 × 36 = 4068 = maxAlloc: one page; 114 × 36 needs 2 pages; 228 × 36 + 28 needs 3.
    expect(run(empty, { op: 'alloc', id: 'L', family: 'emp_t', units: 113 }).facts[0]).toStrictEqual({ type: 'PageRequest', family: 'emp_t', page: 1, count: 1 });
    expect(run(empty, { op: 'alloc', id: 'L', family: 'emp_t', units: 114 }).facts[0]).toStrictEqual({ type: 'PageRequest', family: 'emp_t', page: 1, count: 2 });
    expectRejected(empty, { op: 'alloc', id: 'L', family: 'emp_t', units: 228 }, 'E_OUT_OF_MEMORY');
  });
  it('realloc whose new block needs a page: rejected, the old block stays', () => {
    const three = run(twoPages, { op: 'alloc', id: 'b3', family: 'big_t' }).state;
    expectRejected(three, { op: 'realloc', id: 'b1' }, 'E_OUT_OF_MEMORY');
    expectRejected(three, { op: 'realloc', id: 'b1', units: 2, to: 'b9' }, 'E_OUT_OF_MEMORY');
    expect(three.live.has('b1')).toBe(true);
  });
  it('realloc cannot count the page its old block will free', () => {
    // b1 alone on page 1; moving it needs a new page first (the old block is still allocated).
    const one = heap({ layout: seed, maxPages: 1 }, [
      { op: 'register', family: 'big_t', size: 4000 },
      { op: 'alloc', id: 'b1', family: 'big_t' },
    ]).state;
    expectRejected(one, { op: 'realloc', id: 'b1' }, 'E_OUT_OF_MEMORY');
  });
  it('a limit of 0 is not a limit of none', () => {
    const zero = heap({ layout: seed, maxPages: 0 }, [{ op: 'register', family: 'a', size: 1 }]).state;
    expectRejected(zero, { op: 'alloc', id: 'x', family: 'a' }, 'E_OUT_OF_MEMORY');
  });
});

describe('rejected commands change nothing', () => {
  it('for every code, on a heap with pages, free blocks and live ids', () => {
    const s = base(1);
    const samples: [RejectionCode, unknown][] = [
      ['E_BAD_COMMAND', { op: 'free', id: '' }],
      ['E_FAMILY_NAME', { op: 'register', family: 'a b', size: 1 }],
      ['E_FAMILY_EXISTS', { op: 'register', family: 'emp_t', size: 1 }],
      ['E_FAMILY_SIZE', { op: 'register', family: 'x', size: 0 }],
      ['E_UNKNOWN_FAMILY', { op: 'alloc', id: 'x', family: 'x' }],
      ['E_BAD_UNITS', { op: 'alloc', id: 'x', family: 'emp_t', units: 0 }],
      ['E_ID_IN_USE', { op: 'alloc', id: 'e1', family: 'emp_t' }],
      ['E_NOT_ALLOCATED', { op: 'free', id: 'e0' }],
      ['E_OUT_OF_MEMORY', { op: 'alloc', id: 'x', family: 'one_t', units: 5000 }],
    ];
    expect(samples.map(([c]) => c)).toEqual(REJECTION_CODES);
    const stats = JSON.stringify(statsOf(s));
    for (const [code, command] of samples) expectRejected(s, command, code);
    expect(JSON.stringify(statsOf(s))).toBe(stats);
  });
});
