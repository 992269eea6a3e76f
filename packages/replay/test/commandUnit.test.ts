/**
 * `commandUnitProblem`: the forms a command's facts may take (SPEC §1) — one fact each case
 * that breaks a form, with the index of the fact at fault and the reason a reader of the log
 * is shown. (The log reader then also compares the facts with decide's; these are the
 * messages that name what is wrong with the shape, before any comparison.)
 */
import { describe, expect, it } from 'vitest';
import type { Fact } from '@lmm/core';
import { commandUnitProblem } from '@lmm/replay';

const reg: Fact = { type: 'Registered', family: 'a', size: 8 };
const rej: Fact = { type: 'Rejected', command: { op: 'free', id: 'x' }, code: 'E_NOT_ALLOCATED', message: "id 'x' is not allocated" };
const req = (page = 1, family = 'a'): Fact => ({ type: 'PageRequest', family, page, count: 1 });
const alloc = (page = 1, family = 'a', more: object = {}): Fact => ({ type: 'Allocated', id: 'x', family, page, offset: 0, size: 8, units: 1, frag: 'none', gap: 0, ...more }) as Fact;
const realloc = (from = 'x', family = 'a'): Fact => alloc(1, family, { id: 'y', realloc: true, from });
const freed = (page = 1, family = 'a', more: object = {}): Fact => ({ type: 'Freed', id: 'x', family, page, offset: 0, size: 8, merged: { offset: 0, size: 4068 }, ...more }) as Fact;
const freedR = (id = 'x', family = 'a'): Fact => freed(1, family, { id, realloc: true });
const rel = (page = 1, family = 'a'): Fact => ({ type: 'PageRelease', family, page, count: 1 });

describe('commandUnitProblem', () => {
  it.each<[string, Fact[]]>([
    ['a rejection', [rej]],
    ['a registration', [reg]],
    ['an alloc', [alloc()]],
    ['an alloc on a page it requested', [req(), alloc()]],
    ['a free', [freed()]],
    ['a free that releases its page', [freed(), rel()]],
    ['a realloc', [realloc(), freedR()]],
    ['a realloc on a new page that releases the old one', [req(2), alloc(2, 'a', { id: 'y', realloc: true, from: 'x' }), freedR(), rel()]],
  ])('accepts %s', (_, facts) => {
    expect(commandUnitProblem(facts)).toBeUndefined();
  });

  it.each<[string, Fact[], number, string]>([
    ['no fact', [], 0, 'a command without facts'],
    ['a rejection and more', [rej, reg], 1, "a Rejected fact must be its command's only fact"],
    ['a registration and more', [reg, alloc()], 1, "a Registered fact must be its command's only fact"],
    ['a page request alone', [req()], 1, 'a PageRequest must be followed by the Allocated fact it serves'],
    ['a page request before a free', [req(), freed()], 1, 'a PageRequest must be followed by the Allocated fact it serves'],
    ['an allocation in another page than the one requested', [req(2), alloc(1)], 1, "the allocation (page 1 of 'a') is not in the page just requested (page 2 of 'a')"],
    ['an allocation in another family than the page requested', [req(1, 'b'), alloc(1, 'a')], 1, "the allocation (page 1 of 'a') is not in the page just requested (page 1 of 'b')"],
    ['an alloc followed by more', [alloc(), freed()], 1, 'an alloc command ends with its Allocated fact'],
    ['an alloc after its page request followed by more', [req(), alloc(), rel()], 2, 'an alloc command ends with its Allocated fact'],
    ['a realloc that frees nothing', [realloc()], 1, 'a realloc must free its old block (a Freed fact) after the Allocated fact'],
    ['a realloc followed by another fact than Freed', [realloc(), rel()], 1, 'a realloc must free its old block (a Freed fact) after the Allocated fact'],
    ['a command that begins with a release', [rel()], 0, 'a command cannot begin with a PageRelease fact'],
    ['a page request, then nothing it serves', [req(), req()], 1, 'a PageRequest must be followed by the Allocated fact it serves'],
    ['a realloc whose free is not marked realloc', [realloc(), freed()], 1, "the realloc's Freed fact must free 'x' of 'a' with realloc:true"],
    ['a realloc that frees another id', [realloc(), freedR('z')], 1, "the realloc's Freed fact must free 'x' of 'a' with realloc:true"],
    ['a realloc that frees in another family', [realloc(), freedR('x', 'b')], 1, "the realloc's Freed fact must free 'x' of 'a' with realloc:true"],
    ['a free marked realloc without its allocation', [freedR()], 0, 'a Freed fact with realloc:true without its Allocated fact'],
    ['a free followed by another fact than its release', [freed(), alloc()], 1, 'a Allocated fact after a Freed fact in the same command'],
    ['a release of another page', [freed(1), rel(2)], 1, "the released page (2 of 'a') is not the freed block's page (1 of 'a')"],
    ['a release in another family', [freed(1, 'a'), rel(1, 'b')], 1, "the released page (1 of 'b') is not the freed block's page (1 of 'a')"],
    ['a release followed by more', [freed(), rel(), rel()], 2, 'a command ends with its PageRelease fact'],
    ['a realloc whose release is followed by more', [realloc(), freedR(), rel(), freed()], 3, 'a command ends with its PageRelease fact'],
  ])('refuses %s', (_, facts, index, reason) => {
    expect(commandUnitProblem(facts)).toEqual({ index, reason });
  });
});
