// Edit sequences for the persistent trees' property tests, shared by every tree class.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { PersistentTree } from '../src/persistentTree.js';

/** One edit of a tree under test; a commit takes a new edit token (freezing what came before). */
export type TreeOp<V> = { kind: 'set'; key: number; value: V } | { kind: 'delete'; key: number } | { kind: 'commit' };

const setArb = <V>(range: number, value: fc.Arbitrary<V>): fc.Arbitrary<TreeOp<V>> =>
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: range }), value });
const deleteArb = <V>(range: number): fc.Arbitrary<TreeOp<V>> => fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: range }) });
const commitArb = <V>(): fc.Arbitrary<TreeOp<V>> => fc.constant({ kind: 'commit' as const });

const mixed = <V>(range: number, value: fc.Arbitrary<V>) =>
  fc.oneof({ weight: 60, arbitrary: setArb(range, value) }, { weight: 50, arbitrary: deleteArb<V>(range) }, { weight: 2, arbitrary: commitArb<V>() });

/**
 * Edit sequences of four shapes: short ones over few keys (sets overwrite, deletes hit);
 * long ones over many keys (trees of three levels); a fill of many keys followed by a random
 * drain of most of them, so nodes underflow and merge at every level; and a fill followed by
 * deleting a run of neighbouring keys in order, so emptying nodes sit beside full ones and
 * borrow from them. Random mixed edits keep a tree growing and almost never rebalance it.
 */
export function treeOpsArb<V>(value: fc.Arbitrary<V>): fc.Arbitrary<TreeOp<V>[]> {
  const drain = fc.oneof({ weight: 40, arbitrary: deleteArb<V>(1500) }, { weight: 4, arbitrary: setArb(1500, value) }, { weight: 1, arbitrary: commitArb<V>() });
  return fc.oneof(
    fc.array(mixed(60, value), { maxLength: 400 }),
    fc.array(mixed(3000, value), { minLength: 500, maxLength: 3000 }),
    fc.tuple(fc.array(setArb(1500, value), { minLength: 600, maxLength: 1500 }), fc.array(drain, { minLength: 1500, maxLength: 6000 })).map(([fill, rest]) => [...fill, ...rest]),
    fc
      .tuple(fc.array(setArb(1500, value), { minLength: 600, maxLength: 1500 }), fc.integer({ min: 0, max: 1400 }), fc.integer({ min: 50, max: 1500 }), fc.boolean(), fc.integer({ min: 10, max: 200 }))
      .map(([fill, from, length, down, every]) => {
        const ops = [...fill];
        for (let n = 0; n < length; n++) {
          ops.push({ kind: 'delete', key: down ? from + length - 1 - n : from + n });
          if (n % every === every - 1) ops.push({ kind: 'commit' });
        }
        return ops;
      }),
  );
}

/**
 * Runs `ops` on `start` under fresh edit tokens (a commit takes a new one), checking every
 * delete's answer against a Map; returns every committed version, `start` first, with the
 * contents it must still have.
 */
export function runTreeOps<V, T extends PersistentTree<number, V>>(ops: readonly TreeOp<V>[], start: T): { tree: T; expected: Map<number, V> }[] {
  const versions: { tree: T; expected: Map<number, V> }[] = [{ tree: start, expected: new Map(start.entries()) }];
  let token = {};
  let tree = start.editable(token);
  const model = new Map(start.entries());
  for (const op of ops) {
    if (op.kind === 'set') {
      tree.set(op.key, op.value);
      model.set(op.key, op.value);
    } else if (op.kind === 'delete') {
      expect(tree.delete(op.key)).toBe(model.delete(op.key));
    } else {
      versions.push({ tree, expected: new Map(model) });
      token = {};
      tree = tree.editable(token);
    }
  }
  versions.push({ tree, expected: new Map(model) });
  return versions;
}
