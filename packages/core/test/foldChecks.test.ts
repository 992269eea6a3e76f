import { describe, expect, it } from 'vitest';
import { evolve, evolveAll, FoldError, initialState, LAYOUTS, step, type Fact } from '@lmm/core';

// A fact log edited by hand must not fold into a state its commands could never produce.
const base = () => {
  let s = initialState({ layout: LAYOUTS.seed });
  s = step(s, { op: 'register', family: 'a_t', size: 24 }).state;
  return s;
};

describe('folding checks what a fact claims against the state', () => {
  it('refuses an Allocated whose size is not units × the family size', () => {
    const s = base();
    const facts = step(s, { op: 'alloc', id: 'x', family: 'a_t', units: 2 }).facts;
    const bad = facts.map((f) => (f.type === 'Allocated' ? { ...f, units: 3 } : f)) as Fact[];
    expect(() => evolveAll(s, bad)).toThrow(FoldError);
    expect(() => evolveAll(s, facts)).not.toThrow();
  });

  it('refuses an Allocated whose frag does not match the split it makes', () => {
    const s = base();
    const facts = step(s, { op: 'alloc', id: 'x', family: 'a_t' }).facts;
    const bad = facts.map((f) => (f.type === 'Allocated' ? { ...f, frag: 'soft' } : f)) as Fact[];
    expect(() => evolveAll(s, bad)).toThrow(/frag "soft"/);
  });

  it('refuses a Registered size that no register command could give', () => {
    const s = initialState({ layout: LAYOUTS.seed });
    expect(() => evolve(s, { type: 'Registered', family: 'big', size: 4069 })).toThrow(FoldError);
    expect(() => evolve(s, { type: 'Registered', family: 'zero', size: 0 })).toThrow(FoldError);
    expect(evolve(s, { type: 'Registered', family: 'max', size: 4068 }).families.size).toBe(1);
  });
});
