/** What `badCommand` may draw on: a registered family (if any), ids in each state, and the layout's maxAlloc. */
export interface BadContext {
  /** A registered family, or undefined before the first registration. */
  readonly family: { readonly name: string; readonly size: number } | undefined;
  /** An id believed live, or undefined. */
  readonly liveId: string | undefined;
  /** Another id believed live (may equal `liveId` when only one is). */
  readonly otherLiveId: string | undefined;
  /** An id never used before. */
  readonly freshId: string;
  /** A family name never registered. */
  readonly freshName: string;
  /** maxAlloc of the layout. */
  readonly maxAlloc: number;
}

/**
 * A command that is malformed or breaks a rule of SPEC §1, one of `BAD_VARIANTS` kinds
 * (`variant` taken modulo): non-objects, unknown or non-string ops, fields of the wrong
 * JSON type, empty ids and `to`, bad or existing family names, sizes out of range, unknown
 * families, units 0 / negative / fractional / above 2^31 bytes, ids not live, and several
 * commands that break two rules at once (the first check in SPEC order must win). Every
 * variant is rejected in every state, whatever its code.
 */
export function badCommand(variant: number, ctx: BadContext): unknown {
  const fam = ctx.family?.name ?? ctx.freshName + '_missing';
  const famSize = ctx.family?.size ?? 1;
  const live = ctx.liveId ?? ctx.freshId;
  const other = ctx.otherLiveId ?? live;
  const fresh = ctx.freshId;
  const name = ctx.freshName;
  switch (variant % 40) {
    case 0: return null;
    case 1: return 42;
    case 2: return 'alloc';
    case 3: return [{ op: 'free', id: live }];
    case 4: return {};
    case 5: return { op: 'nope', id: live };
    case 6: return { op: 7, id: live };
    case 7: return { op: 'alloc', id: 5, family: fam };
    case 8: return { op: 'alloc', id: '', family: fam };
    case 9: return { op: 'alloc', id: fresh, family: 3 };
    case 10: return { op: 'alloc', id: fresh, family: fam, units: '2' };
    case 11: return { op: 'alloc', id: fresh, family: fam, units: null };
    case 12: return { op: 'free' };
    case 13: return { op: 'free', id: '' };
    case 14: return { op: 'free', id: 12 };
    case 15: return { op: 'realloc', id: live, to: '' };
    case 16: return { op: 'realloc', id: live, to: 9 };
    case 17: return { op: 'realloc', id: live, units: true };
    case 18: return { op: 'register', family: 1, size: 3 };
    case 19: return { op: 'register', family: name, size: '3' };
    case 20: return { op: 'register', family: name };
    case 21: return { op: 'register', family: '', size: 8 };
    case 22: return { op: 'register', family: 'a b', size: 8 };
    case 23: return { op: 'register', family: 'x'.repeat(65), size: 8 };
    case 24: return { op: 'register', family: 'caf\u00e9', size: 8 };
    case 25: return { op: 'register', family: 'tab\tname', size: 0 };
    case 26: return { op: 'register', family: ctx.family?.name ?? '', size: 0 };
    case 27: return { op: 'register', family: ctx.family?.name ?? ' ', size: famSize };
    case 28: return { op: 'register', family: name, size: 0 };
    case 29: return { op: 'register', family: name, size: ctx.maxAlloc + 1 };
    case 30: return { op: 'register', family: name, size: 2.5 };
    case 31: return { op: 'register', family: name, size: -3 };
    case 32: return { op: 'alloc', id: fresh, family: name, units: 0 };
    case 33: return { op: 'alloc', id: live, family: name };
    case 34: return { op: 'alloc', id: live, family: fam, units: 0 };
    case 35: return { op: 'alloc', id: fresh, family: fam, units: 1.5 };
    case 36: return { op: 'alloc', id: fresh, family: fam, units: Math.floor(2 ** 31 / famSize) + 1 };
    case 37: return { op: 'realloc', id: fresh, units: 0, to: other };
    case 38: return { op: 'realloc', id: live, units: -2, to: other };
    default: return { op: 'free', id: fresh };
  }
}
