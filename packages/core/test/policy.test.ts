/**
 * The policy helpers (SPEC §1 policies, SPEC §5 `run --switch CMD:POLICY`): the walk order
 * each policy needs, and the policy in force after a command of a run with a switch.
 */
import { describe, expect, it } from 'vitest';
import { initialState, LAYOUTS, POLICIES, policyAfter, step, walkOrder, type Policy } from '@lmm/core';
import { chooseBlock } from '../src/choose.js';

describe('walkOrder', () => {
  it('is `newest` for first fit, `address` for address-ordered first fit, `none` for the policies that read the queue alone', () => {
    expect(Object.fromEntries(POLICIES.map((p) => [p, walkOrder(p)]))).toStrictEqual({
      'worst-fit': 'none',
      'best-fit': 'none',
      'first-fit': 'newest',
      'address-first-fit': 'address',
    });
  });

  it('throws, naming it, for a policy name that is none (a caller past the type checker)', () => {
    expect(() => walkOrder('next-fit' as Policy)).toThrow('unknown policy next-fit');
  });

  it('chooseBlock throws likewise rather than choose no block (which would request a page)', () => {
    const { state } = step(initialState({ layout: LAYOUTS.seed }), { op: 'register', family: 'f', size: 8 });
    expect(() => chooseBlock('next-fit' as Policy, state.families.get(0)!, 8)).toThrow('unknown policy next-fit');
  });
});

describe('policyAfter', () => {
  it('is the first policy before the switch command, the switched-to one from it on (SPEC §5: `show --at N`)', () => {
    // `--policy worst-fit --switch 3:best-fit`: commands 1…3 run under worst-fit, the state after
    // command 3 names best-fit (show --at 3 gives POLICY), and so does every later one.
    const change = { cmd: 3, policy: 'best-fit' as const };
    expect([0, 1, 2, 3, 4, 100].map((cmd) => policyAfter('worst-fit', change, cmd))).toEqual([
      'worst-fit',
      'worst-fit',
      'worst-fit',
      'best-fit',
      'best-fit',
      'best-fit',
    ]);
  });

  it('is the switched-to policy from the start for a switch at command 0, and the first policy throughout without a switch', () => {
    expect([0, 1, 5].map((cmd) => policyAfter('first-fit', { cmd: 0, policy: 'address-first-fit' }, cmd))).toEqual(['address-first-fit', 'address-first-fit', 'address-first-fit']);
    expect([0, 1, 5].map((cmd) => policyAfter('first-fit', undefined, cmd))).toEqual(['first-fit', 'first-fit', 'first-fit']);
  });
});
